// The main job timed end to end: `mcunet search` on a data set and a device
// (stage 1, supernet, evolution, final training, int8 export, firmware under
// QEMU), in-process, in a fresh folder. Prints the figures issue 20's targets
// are about: wall time, float and int8 test accuracy, SRAM and Flash against
// the device, instructions and latency on its core, QEMU bit-exactness.
// A benchmark: prints, asserts nothing.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "codegen/target_run.h"
#include "core/devices.h"
#include "core/progress_bar.h"
#include "nas/stage2.h"

int main(int argc, char** argv) {
  CLI::App app{"The main job (search -> int8 .tflite -> firmware under QEMU), timed"};
  std::string budget = "demo", device_name = "stm32l432", out = "bench-main-job",
              dataset = "fashion-mnist";
  int threads = 2;
  bool json = false;
  app.add_option("--budget", budget, "smoke | demo | quick | full")->default_str("demo");
  app.add_option("--device", device_name, "Device profile")->default_str("stm32l432");
  app.add_option("--dataset", dataset)->default_str("fashion-mnist");
  app.add_option("--out", out, "Run folder (emptied first, so the time is a whole run)")
      ->default_str("bench-main-job");
  app.add_option("--threads", threads)->default_str("2");
  app.add_flag("--json", json, "Print summary.json with the wall time");
  CLI11_PARSE(app, argc, argv);
  auto preset = mcunet::BudgetByName(budget);
  auto device = mcunet::FindDevice(device_name);
  if (!preset.ok() || !device.ok()) {
    fmt::print(stderr, "error: {}\n",
               (!preset.ok() ? preset.status() : device.status()).message());
    return 1;
  }
  std::filesystem::remove_all(out);
  mcunet::SearchRequest req;
  req.dataset = dataset;
  req.constraints = {device->sram_bytes, device->flash_bytes};
  req.budget = *preset;
  req.out_dir = out;
  req.threads = threads;
  req.baselines = false;
  req.device = *device;
  req.plugin = mcunet::DefaultPluginPath();
  mcunet::ProgressBar bar;
  req.log = [&](const std::string& line) {
    bar.Finish();
    fmt::print(stderr, "{}\n", line);
  };
  req.progress = [&](const std::string& phase, int64_t done, int64_t total,
                     const std::string& info) { bar.Update(phase, done, total, info); };
  const auto t0 = std::chrono::steady_clock::now();
  auto summary = mcunet::RunStage2(req, mcunet::Stage2Scope::kSearch);
  bar.Finish();
  if (!summary.ok()) {
    fmt::print(stderr, "error: {}\n", summary.status().message());
    return 1;
  }
  nlohmann::json s = nlohmann::json::parse(*summary);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s["wall_seconds"] = seconds;
  if (json) {
    fmt::print("{}\n", s.dump(2));
    return 0;
  }
  const nlohmann::json& q = s["searched"]["int8"];
  const nlohmann::json& f = s["firmware"];
  fmt::print("main job: {} on {} ({}, {} MHz), budget {}, {} threads\n", dataset, device->name,
             device->core, device->mhz, budget, threads);
  fmt::print("{:<36} {}\n", "wall time, whole run",
             fmt::format("{:.1f} min", seconds / 60));
  fmt::print("{:<36} {:.2f} / {:.2f} % ({})\n", "test accuracy, float / int8",
             100 * s["float_test_accuracy"].get<double>(),
             100 * s["int8_test_accuracy"].get<double>(), q["quantisation"].get<std::string>());
  fmt::print("{:<36} {} / {} / {} B (of {})\n", "peak SRAM: search / export / firmware arena",
             s["searched"]["peak_sram_bytes"].get<int64_t>(), q["peak_sram_bytes"].get<int64_t>(),
             f["arena_bytes"].get<int64_t>(), device->sram_bytes);
  fmt::print("{:<36} {} / {} B (of {})\n", "Flash: search's estimate / firmware",
             q["search_flash_estimate_bytes"].get<int64_t>(), f["flash_bytes"].get<int64_t>(),
             device->flash_bytes);
  fmt::print("{:<36} {} ({:.1f} ms at {} MHz, 1 instruction per cycle)\n",
             "instructions per inference (QEMU)", f["instructions"].get<int64_t>(),
             f["latency_ms_at_1_ipc"].get<double>(), device->mhz);
  fmt::print("{:<36} {} on {} test images\n", "firmware vs host runtime",
             f["bit_exact"].get<bool>() ? "bit-exact" : "DIFFERENT", f["images"].get<int64_t>());
  return 0;
}
