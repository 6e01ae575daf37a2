// --device NAME (a profile of devices.json) and/or --sram/--flash in bytes.
#pragma once
#include <cstdint>
#include <string>

#include "core/status.h"

namespace mcunet::cli {

struct DeviceBudget {
  int64_t sram = 0, flash = 0;
};
// Explicit --sram/--flash (non-zero) override the device's figures.
Expected<DeviceBudget> ResolveBudget(const std::string& device, const std::string& devices_file,
                                     int64_t sram, int64_t flash);

}  // namespace mcunet::cli
