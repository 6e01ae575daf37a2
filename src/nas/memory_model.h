// The co-design memory model: an arch's peak SRAM and Flash as our engine would
// really deploy it (the int8 graph from the arch builder, prepared by the op
// definitions, planned by the planner), never an analytic formula.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "nas/arch.h"

namespace mcunet {

struct ArchCost {
  int64_t peak_sram_bytes = 0;  // the planned arena (activations + scratch)
  int64_t flash_bytes = 0;      // weights + biases + requantisation tables + code estimate
  int64_t macs = 0;
  int64_t params = 0;  // training parameters (ArchTrainingParams)
};

// Code size (kernels, invoke, start-up) added to Flash: the largest `code_bytes`
// bench/mcu measured for the shipped models on Cortex-M7 (13.4 kB), rounded up.
constexpr int64_t kCodeBytesEstimate = 14 * 1024;

struct CostOptions {
  int input_channels = 0;  // 0: the arch's own (first_conv.in_channels)
  int resolution = 0;  // 0: the arch's own
};

// Shape-only build (no weights), prepare, plan with in-place rules. The in-place
// plan is never larger than the plan without (the planner keeps that one as a
// candidate), so it is the minimum over the engine's schedule options.
Expected<ArchCost> MeasureArch(const ArchConfig& arch, const CostOptions& options = {});

}  // namespace mcunet
