// Microcontroller profiles: the budgets a search and `analyze` check against,
// the core the firmware is built for, the clock latency is estimated at. The
// profiles of the repository's devices.json are built into the program, so it
// works from any folder; a user's own file (same format) replaces them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace mcunet {

struct DeviceProfile {
  std::string name;  // devices.json key
  std::string core;  // cortex-m7, cortex-m4, cortex-m0plus
  bool dsp = false;  // the ARMv7E-M DSP extension (SIMD multiply-accumulate)
  int mhz = 0;
  int64_t sram_bytes = 0, flash_bytes = 0;
};

// The profiles of `file` ("" = the built-in ones), in the file's order. Errors
// name the file and the entry.
Expected<std::vector<DeviceProfile>> ReadDevices(const std::string& file = "");

// One profile by name; the error lists the known names.
Expected<DeviceProfile> FindDevice(const std::string& name, const std::string& file = "");
// FindDevice for an optional --device: nothing when `name` is empty.
Expected<std::optional<DeviceProfile>> FindOptionalDevice(const std::string& name,
                                                          const std::string& file = "");

}  // namespace mcunet
