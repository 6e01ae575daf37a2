#include "cli/device_budget.h"

namespace mcunet::cli {

void AddDeviceOptions(CLI::App& app, DeviceOptions& o) {
  app.add_option("--device", o.device,
                 "Device profile: budgets, core and clock (e.g. stm32f746; `mcunet devices` "
                 "lists them)");
  app.add_option("--devices", o.devices_file,
                 "Device profiles file in devices.json's format (default: the built-in ones)");
  app.add_option("--sram", o.sram, "SRAM budget in bytes: peak arena as our planner places it "
                                   "(overrides the device's)");
  app.add_option("--flash", o.flash, "Flash budget in bytes: weights, tables and code "
                                     "(overrides the device's)");
}

Expected<DeviceBudget> ResolveBudget(const DeviceOptions& o) {
  DeviceBudget b{o.sram, o.flash, std::nullopt};
  if (!o.device.empty()) {
    MCUNET_ASSIGN_OR_RETURN(DeviceProfile device, FindDevice(o.device, o.devices_file));
    if (b.sram == 0) b.sram = device.sram_bytes;
    if (b.flash == 0) b.flash = device.flash_bytes;
    b.device = device;
  }
  if (b.sram <= 0 || b.flash <= 0) {
    return Status::Error("give --device or both --sram and --flash (positive, in bytes)");
  }
  return b;
}

}  // namespace mcunet::cli
