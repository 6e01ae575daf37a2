// The co-design memory model: an arch's peak SRAM and Flash as our engine would
// really deploy it (the int8 graph from the arch builder, prepared by the op
// definitions, planned by the planner), never an analytic formula.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "arch/arch.h"

namespace mcunet {

struct ArchCost {
  int64_t peak_sram_bytes = 0;  // ModelTotals::peak_sram_bytes (compiler/compile.h)
  // ModelTotals::flash_bytes + kCodeBytesEstimate: a limit on Flash must count code.
  int64_t flash_bytes = 0;
  int64_t macs = 0;
  int64_t params = 0;  // training parameters (ArchTrainingParams)
};

struct CostOptions {
  int input_channels = 0;  // 0: the arch's own (first_conv.in_channels)
  int resolution = 0;  // 0: the arch's own
};

// Shape-only build (no weights), then the engine's Compile with in-place rules. The in-place
// plan is never larger than the plan without (the planner keeps that one as a
// candidate), so it is the minimum over the engine's schedule options.
Expected<ArchCost> MeasureArch(const ArchConfig& arch, const CostOptions& options = {});

}  // namespace mcunet
