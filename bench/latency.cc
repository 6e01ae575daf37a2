// Host latency per model: median of N invocations, with the arena each needs.
// Prints a table, or JSON with --json. A benchmark, not a test: nothing is asserted.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "model_files.h"
#include "runtime/load_model.h"

int main(int argc, char** argv) {
  CLI::App app{"Host latency of the mcunet runtime per model (median of --runs invocations)"};
  std::vector<std::string> models;
  int runs = 20;
  bool json = false;
  app.add_option("models", models, "Model files (default: every models/*.tflite)");
  app.add_option("--runs", runs, "Invocations per model")->check(CLI::PositiveNumber);
  app.add_flag("--json", json, "Print JSON");
  CLI11_PARSE(app, argc, argv);
  models = ModelFiles(models);
  nlohmann::json rows = nlohmann::json::array();
  if (!json) fmt::print("{:<40} {:>12} {:>12} {:>12}\n", "model", "median ms", "min ms", "arena B");
  for (const auto& path : models) {
    auto ex = mcunet::LoadModel(path);
    if (!ex.ok()) {
      fmt::print(stderr, "skip: {}\n", ex.status().message());
      continue;
    }
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      if (!(*ex)->Invoke().ok()) break;
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    if (ms.empty()) continue;
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    const std::string name = std::filesystem::path(path).stem().string();
    if (json) {
      rows.push_back({{"model", name},
                      {"median_ms", median},
                      {"min_ms", ms.front()},
                      {"runs", ms.size()},
                      {"arena_bytes", (*ex)->arena_bytes()}});
    } else {
      fmt::print("{:<40} {:>12.3f} {:>12.3f} {:>12}\n", name, median, ms.front(),
                 (*ex)->arena_bytes());
    }
  }
  if (json) fmt::print("{}\n", rows.dump(2));
  return 0;
}
