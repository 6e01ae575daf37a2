#include "cli/device_budget.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace mcunet::cli {

void AddDeviceOptions(CLI::App& app, DeviceOptions& o) {
  app.add_option("--device", o.device, "Device profile from devices.json (e.g. stm32f746)");
  app.add_option("--devices", o.devices_file, "Device profiles file")->default_str("devices.json");
  app.add_option("--sram", o.sram, "SRAM budget in bytes: peak arena as our planner places it "
                                   "(overrides the device's)");
  app.add_option("--flash", o.flash, "Flash budget in bytes: weights, tables and code "
                                     "(overrides the device's)");
}

Expected<DeviceBudget> ResolveBudget(const DeviceOptions& o) {
  const std::string& device = o.device;
  const std::string& devices_file = o.devices_file;
  DeviceBudget b{o.sram, o.flash};
  if (!device.empty()) {
    std::ifstream f(devices_file);
    if (!f) return Status::Error(devices_file + ": cannot open file");
    nlohmann::json devices;
    try {
      devices = nlohmann::json::parse(f);
    } catch (const nlohmann::json::exception& e) {
      return Status::Error(devices_file + ": " + e.what());
    }
    if (!devices.contains(device)) {
      std::string known;
      for (const auto& [name, value] : devices.items()) {
        if (name[0] != '_') known += (known.empty() ? "" : ", ") + name;
      }
      return Status::Error(
          fmt::format("device '{}' is not in {} (known: {})", device, devices_file, known));
    }
    if (b.sram == 0) b.sram = devices[device].value("sram", int64_t{0});
    if (b.flash == 0) b.flash = devices[device].value("flash", int64_t{0});
  }
  if (b.sram <= 0 || b.flash <= 0) {
    return Status::Error("give --device or both --sram and --flash (positive, in bytes)");
  }
  return b;
}

}  // namespace mcunet::cli
