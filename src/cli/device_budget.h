// --device NAME (a profile of devices.json) and/or --sram/--flash in bytes.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace mcunet::cli {

struct DeviceBudget {
  int64_t sram = 0, flash = 0;
};
struct DeviceOptions {
  std::string device, devices_file = "devices.json";
  int64_t sram = 0, flash = 0;
};
// Registers --device, --devices, --sram, --flash on `app`, filling `o`.
void AddDeviceOptions(CLI::App& app, DeviceOptions& o);
// Explicit --sram/--flash (non-zero) override the device's figures.
Expected<DeviceBudget> ResolveBudget(const DeviceOptions& o);

}  // namespace mcunet::cli
