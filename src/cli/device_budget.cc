#include "cli/device_budget.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace mcunet::cli {

Expected<DeviceBudget> ResolveBudget(const std::string& device, const std::string& devices_file,
                                     int64_t sram, int64_t flash) {
  DeviceBudget b{sram, flash};
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
