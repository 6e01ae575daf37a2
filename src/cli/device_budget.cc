#include "cli/device_budget.h"

#include "core/byte_size.h"

namespace mcunet::cli {

void AddDeviceOptions(CLI::App& app, DeviceOptions& o) {
  app.add_option("--device", o.device,
                 "Device profile: budgets, core and clock (e.g. stm32f746; `mcunet devices` "
                 "lists them)");
  app.add_option("--devices", o.devices_file,
                 "Device profiles file in devices.json's format (default: the built-in ones)");
  const auto size_option = [&app](const char* name, int64_t& target, const char* help) {
    app.add_option_function<std::string>(
           name,
           [name, &target](const std::string& text) {
             auto bytes = ParseByteSize(text);
             if (!bytes.ok()) throw CLI::ValidationError(name, bytes.status().message());
             target = *bytes;
           },
           help)
        ->type_name("SIZE");
  };
  size_option("--sram", o.sram,
              "SRAM budget: peak arena as our planner places it (overrides the device's); "
              "bytes or with a unit: 64k, 320KiB, 1M (binary units)");
  size_option("--flash", o.flash,
              "Flash budget: weights, tables and code (overrides the device's); bytes or "
              "with a unit: 512k, 1M (binary units)");
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
    return Status::Error("give --device or both --sram and --flash");
  }
  return b;
}

}  // namespace mcunet::cli
