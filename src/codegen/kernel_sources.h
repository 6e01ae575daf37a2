// The C99 kernel and Cortex-M target sources, embedded at build time
// (cmake/embed_kernels.cmake).
#pragma once

#include <string>
#include <vector>

namespace mcunet {

struct KernelSource {
  std::string name;  // file name, e.g. "conv_s8.c"
  std::string text;
};

const std::vector<KernelSource>& KernelSources();
// Start-up, linker script, semihosting and libc stubs for QEMU's mps2 machines.
const std::vector<KernelSource>& CortexMTargetSources();

}  // namespace mcunet
