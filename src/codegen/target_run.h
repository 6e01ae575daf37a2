// Builds a generated project and runs it: on the host with the host compiler,
// or on an emulated Cortex-M (QEMU mps2-an500 / an386) with the instruction-
// counting plugin, reading Flash and SRAM figures from the ELF.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace mcunet {

struct TargetRun {
  std::vector<uint8_t> output;
  int64_t instructions = -1;  // between the invoke markers (-1: not counted)
  int64_t flash_bytes = 0;    // .text + .rodata + .data
  int64_t code_bytes = 0;     // Flash without weights and requantisation tables
  int64_t sram_bytes = 0;     // .data + .bss (stack reservation excluded) + stack used
  int64_t stack_bytes = 0;    // painted-stack high-water mark
  int64_t runner_bytes = 0;   // the runner's input/output buffers included in sram_bytes
  // With per_layer: each layer's instructions, in the generated run's layer order
  // (a profiling build, which adds a marker call of about three instructions per layer).
  std::vector<int64_t> layer_instructions;
};

// `dir` holds a project from GenerateCProject named `name`.
Expected<std::vector<uint8_t>> RunOnHost(const std::string& dir, const std::string& name,
                                         const std::vector<uint8_t>& input,
                                         const std::string& extra_cflags = "");

// target: "cortex-m7", "cortex-m4" or "cortex-m0plus" (its ARMv6-M code on
// mps2-an385's Cortex-M3: the same instructions, counted as such). `plugin` is
// the path of mcunet_insn_count.so ("" to skip counting). Times out after
// `timeout_seconds`. per_layer rebuilds the firmware with -DMCUNET_PROFILE_LAYERS
// and fills layer_instructions (needs the plugin).
Expected<TargetRun> RunOnQemu(const std::string& dir, const std::string& name,
                              const std::string& target, const std::vector<uint8_t>& input,
                              const std::string& plugin, int timeout_seconds = 300,
                              bool per_layer = false);

// The plugin next to the running executable, if it is there.
std::string DefaultPluginPath();

}  // namespace mcunet
