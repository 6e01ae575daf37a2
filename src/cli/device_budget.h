// --device NAME (a built-in profile, or one of --devices FILE) and/or --sram/--flash in bytes.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/devices.h"
#include "core/status.h"

namespace mcunet::cli {

struct DeviceBudget {
  int64_t sram = 0, flash = 0;
  std::optional<DeviceProfile> device;  // when --device was given
};

struct DeviceOptions {
  std::string device, devices_file;  // devices_file "": the built-in profiles
  int64_t sram = 0, flash = 0;
};

// Registers --device, --devices, --sram, --flash on `app`, filling `o`.
void AddDeviceOptions(CLI::App& app, DeviceOptions& o);

// Explicit --sram/--flash (non-zero) override the device's figures.
Expected<DeviceBudget> ResolveBudget(const DeviceOptions& o);

}  // namespace mcunet::cli
