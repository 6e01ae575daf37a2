// Peak SRAM per development model: our arena against the TFLM-style baseline on
// the same graph and against TF Lite Micro's measured arena (golden manifests),
// with the lower bound of our schedule. Prints a table, or JSON with --json.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/load_model.h"

int main(int argc, char** argv) {
  CLI::App app{"Peak SRAM of mcunet's plans against TF Lite Micro for the shipped models"};
  std::string golden_dir = "tests/golden", models_dir = "models";
  bool json = false;
  app.add_option("--golden", golden_dir, "Folder of TFLM golden manifests");
  app.add_option("--models", models_dir, "Folder of .tflite models");
  app.add_flag("--json", json, "Print JSON");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> stems;
  for (const auto& e : std::filesystem::directory_iterator(golden_dir)) {
    if (std::filesystem::exists(e.path() / "manifest.json")) stems.push_back(e.path().filename());
  }
  std::sort(stems.begin(), stems.end());
  nlohmann::json rows = nlohmann::json::array();
  double log_sum = 0, worst = 0;
  int count = 0;
  if (!json) {
    fmt::print("{:<28} {:>10} {:>10} {:>10} {:>10} {:>8} {:>8}\n", "model", "ours B", "lower B",
               "base B", "TFLM B", "ours/TF", "lb/TF");
  }
  for (const auto& stem : stems) {
    std::ifstream f(golden_dir + "/" + stem + "/manifest.json");
    const auto manifest = nlohmann::json::parse(f);
    const int64_t tflm = manifest["tflm"]["arena_used_bytes_x86_32"].get<int64_t>();
    auto ex = mcunet::LoadModel(models_dir + "/" + stem + ".tflite");
    if (!ex.ok()) {
      fmt::print(stderr, "skip: {}\n", ex.status().message());
      continue;
    }
    const auto& mp = (*ex)->memory_plan();
    const double ratio = double(mp.plan.arena_bytes) / tflm;
    log_sum += std::log(ratio), worst = std::max(worst, ratio), ++count;
    rows.push_back({{"model", stem},
                    {"peak_sram_bytes", mp.plan.arena_bytes},
                    {"lower_bound_bytes", mp.lower_bound},
                    {"baseline_sram_bytes", mp.baseline.arena_bytes},
                    {"tflm_arena_bytes", tflm},
                    {"ratio_to_tflm", ratio}});
    if (!json) {
      fmt::print("{:<28} {:>10} {:>10} {:>10} {:>10} {:>8.3f} {:>8.3f}\n", stem.substr(0, 28),
                 mp.plan.arena_bytes, mp.lower_bound, mp.baseline.arena_bytes, tflm, ratio,
                 double(mp.lower_bound) / tflm);
    }
  }
  const double geomean = count ? std::exp(log_sum / count) : 0;
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"models", rows},
                                      {"geomean_ratio_to_tflm", geomean},
                                      {"max_ratio_to_tflm", worst}}
                           .dump(2));
  } else {
    fmt::print("geometric mean ours/TFLM {:.3f}, worst {:.3f} ({} models)\n", geomean, worst, count);
  }
  return 0;
}
