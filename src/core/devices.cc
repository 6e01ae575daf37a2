#include "core/devices.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/read_file.h"
#include "devices_json.h"  // kBuiltinDevicesJson: devices.json, built in by CMake

namespace mcunet {

Expected<std::vector<DeviceProfile>> ReadDevices(const std::string& file) {
  const std::string where = file.empty() ? "built-in devices.json" : file;
  std::string text = kBuiltinDevicesJson;
  if (!file.empty()) {
    MCUNET_ASSIGN_OR_RETURN(text, ReadFileText(file));
  }
  // Keys in the file's order: the listing follows it.
  nlohmann::ordered_json devices;
  try {
    devices = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Status::Error(fmt::format("{}: not valid JSON ({})", where, e.what()));
  }
  if (!devices.is_object()) return Status::Error(where + ": must be a JSON object of devices");
  std::vector<DeviceProfile> out;
  for (const auto& [name, d] : devices.items()) {
    if (name.empty() || name[0] == '_') continue;  // "_comment"
    DeviceProfile p;
    p.name = name;
    try {
      p.core = d.at("core").get<std::string>();
      p.dsp = d.value("dsp", false);
      p.mhz = d.at("mhz").get<int>();
      p.sram_bytes = d.at("sram").get<int64_t>();
      p.flash_bytes = d.at("flash").get<int64_t>();
    } catch (const nlohmann::json::exception& e) {
      return Status::Error(fmt::format("{}: device '{}': {}", where, name, e.what()));
    }
    if (p.mhz <= 0 || p.sram_bytes <= 0 || p.flash_bytes <= 0) {
      return Status::Error(fmt::format("{}: device '{}': mhz, sram and flash must be positive",
                                       where, name));
    }
    out.push_back(std::move(p));
  }
  return out;
}

Expected<DeviceProfile> FindDevice(const std::string& name, const std::string& file) {
  MCUNET_ASSIGN_OR_RETURN(std::vector<DeviceProfile> devices, ReadDevices(file));
  std::string known;
  for (const DeviceProfile& d : devices) {
    if (d.name == name) return d;
    known += (known.empty() ? "" : ", ") + d.name;
  }
  return Status::Error(fmt::format("device '{}' is not in {} (known: {})", name,
                                   file.empty() ? "the built-in devices.json" : file, known));
}

Expected<std::optional<DeviceProfile>> FindOptionalDevice(const std::string& name,
                                                          const std::string& file) {
  if (name.empty()) return std::optional<DeviceProfile>();
  MCUNET_ASSIGN_OR_RETURN(DeviceProfile device, FindDevice(name, file));
  return std::optional<DeviceProfile>(device);
}

}  // namespace mcunet
