// mcunet devices [--devices FILE] [--json]: the device profiles --device takes.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/devices.h"

namespace mcunet::cli {

Command AddDevicesCommand(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  app.add_option("--devices", *file, "Profiles file in devices.json's format (default: built in)");
  app.add_flag("--json", *json, "Print the profiles as JSON");
  app.footer(
      "SRAM and Flash are the budgets a search and `analyze --device` check against (the\n"
      "whole on-chip memory: leave room for your application with --sram/--flash); the core\n"
      "picks the firmware's compiler flags and QEMU machine, the clock the latency estimate.\n"
      "Example: mcunet devices --json   (then: mcunet analyze MODEL --device stm32f746)");
  return [file, json]() {
    auto devices = ReadDevices(*file);
    if (!devices.ok()) {
      fmt::print(stderr, "error: {}\n", devices.status().message());
      return 1;
    }
    if (*json) {
      nlohmann::ordered_json j = nlohmann::ordered_json::array();
      for (const DeviceProfile& d : *devices) {
        j.push_back({{"name", d.name}, {"core", d.core}, {"dsp", d.dsp}, {"mhz", d.mhz},
                     {"sram_bytes", d.sram_bytes}, {"flash_bytes", d.flash_bytes}});
      }
      fmt::print("{}\n", j.dump(2));
      return 0;
    }
    fmt::print("{:<12} {:<14} {:>4} {:>5} {:>9} {:>10}\n", "device", "core", "DSP", "MHz",
               "SRAM kB", "Flash kB");
    for (const DeviceProfile& d : *devices) {
      fmt::print("{:<12} {:<14} {:>4} {:>5} {:>9} {:>10}\n", d.name, d.core, d.dsp ? "yes" : "no",
                 d.mhz, d.sram_bytes / 1024, d.flash_bytes / 1024);
    }
    return 0;
  };
}

}  // namespace mcunet::cli
