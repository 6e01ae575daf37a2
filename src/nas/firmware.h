// The last step of the main job: the C project for the device's core, built
// with arm-none-eabi-gcc and run under QEMU on real test images, its outputs
// compared byte for byte with the host runtime's (the runtime whose accuracy
// `export` and `evaluate` report), with the figures of the built ELF.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/devices.h"
#include "core/status.h"
#include "data/idx_dataset.h"
#include "runtime/executor.h"

namespace mcunet {

struct FirmwareRequest {
  std::string dir;        // the project is written here and kept
  DeviceProfile device;
  int64_t images = 5;     // the first N test images run on the emulated core
  std::string plugin;     // QEMU instruction counter (mcunet_insn_count.so); "" = no count
  std::string model_description;  // the project's front matter (e.g. the .tflite path)
};

struct FirmwareReport {
  std::string dir, core;
  // Run under QEMU: M7 on mps2-an500, M4 on mps2-an386, M0+ on mps2-an385,
  // whose Cortex-M3 runs ARMv6-M code unchanged.
  bool bit_exact = false;  // every image's output equal to the host runtime's
  int64_t images = 0;
  std::vector<int> labels, predicted;  // per image run (-1: output of the wrong size)
  int64_t instructions = -1;  // per inference, median over the images (-1: not counted)
  double latency_ms = 0;      // instructions / clock: 1 instruction per cycle assumed
  // arm-none-eabi-size of the built ELF: Flash = .text + .rodata + .data;
  // SRAM = statics + stack used (the runner's I/O buffers included).
  int64_t flash_bytes = 0, code_bytes = 0, sram_bytes = 0, stack_bytes = 0, runner_bytes = 0;
  int64_t arena_bytes = 0;  // the planned arena, as the host runtime allocates it
};

// Writes the project for `host`'s compiled model into request.dir (Makefile
// goal: the device's core), then for each of the first request.images test
// images: the host runtime's output against the firmware's under QEMU.
// Differences are reported (bit_exact false), not errors; errors are what
// stopped the check (no toolchain, a build failure, QEMU).
Expected<FirmwareReport> BuildAndCheckFirmware(Executor& host, const ImageSet& test,
                                               const FirmwareRequest& request);

}  // namespace mcunet
