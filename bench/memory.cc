// Peak SRAM per development model: our arena against the TFLM-style baseline on
// the same graph and against TF Lite Micro's measured arena (golden manifests),
// with the lower bound of our schedule. Prints a table, or JSON with --json.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "compiler/compile_file.h"

namespace {

// Peak SRAM (kB) measured on STM32H743 for the released networks, from
// archs/README.md: TinyEngine and X-CUBE-AI 7.3 (0: not published).
struct Reference {
  const char* arch;
  double tinyengine_kb, xcube_kb;
};
constexpr Reference kReleased[] = {
    {"mcunet-10fps_imagenet", 49, 69},       {"mcunet-5fps_imagenet", 96, 106},
    {"mcunet-256kb-1mb_imagenet", 215, 238}, {"mcunet-320kb-1mb_imagenet", 260, 243},
    {"mcunet-512kb-2mb_imagenet", 416, 342}, {"proxyless-w0.3-r176_imagenet", 259, 221},
    {"mbv2-w0.35-r144_imagenet", 0, 0},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Peak SRAM of mcunet's plans against TF Lite Micro for the shipped models"};
  std::string golden_dir = "tests/golden", models_dir = "models", archs_dir = "archs";
  bool json = false;
  app.add_option("--golden", golden_dir, "Folder of TFLM golden manifests");
  app.add_option("--models", models_dir, "Folder of .tflite models");
  app.add_option("--archs", archs_dir, "Folder of released network configs");
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
    auto model = mcunet::CompileTfliteFile(models_dir + "/" + stem + ".tflite");
    if (!model.ok()) {
      fmt::print(stderr, "skip: {}\n", model.status().message());
      continue;
    }
    const auto& mp = model->memory;
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
  if (!json) {
    fmt::print("geometric mean ours/TFLM {:.3f}, worst {:.3f} ({} models)\n\n", geomean, worst,
               count);
    fmt::print("{:<30} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>7} {:>9}\n", "released network",
               "ours kB", "lower kB", "base kB", "TinyEng", "X-CUBE", "/TE", "/XC", "plan ms");
  }
  nlohmann::json released = nlohmann::json::array();
  for (const Reference& ref : kReleased) {
    auto model = mcunet::CompileArchFile(archs_dir + "/" + ref.arch + ".json");
    if (!model.ok()) {
      fmt::print(stderr, "skip: {}\n", model.status().message());
      continue;
    }
    // Planning time alone (the NAS calls it per candidate): median of 21.
    std::vector<double> ms;
    std::vector<const mcunet::PreparedOp*> ops;
    for (const auto& op : model->ops) ops.push_back(op.get());
    for (int r = 0; r < 21; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      auto plan = mcunet::PlanMemory(model->graph, ops);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const auto& mp = model->memory;
    const double kb = mp.plan.arena_bytes / 1024.0;
    const auto ratio = [&](double ref_kb) { return ref_kb > 0 ? kb / ref_kb : 0.0; };
    released.push_back({{"arch", ref.arch},
                        {"layers", model->graph.nodes.size()},
                        {"peak_sram_bytes", mp.plan.arena_bytes},
                        {"lower_bound_bytes", mp.lower_bound},
                        {"baseline_sram_bytes", mp.baseline.arena_bytes},
                        {"tinyengine_kb", ref.tinyengine_kb},
                        {"xcube_kb", ref.xcube_kb},
                        {"ratio_to_tinyengine", ratio(ref.tinyengine_kb)},
                        {"ratio_to_xcube", ratio(ref.xcube_kb)},
                        {"plan_ms_median", ms[ms.size() / 2]}});
    if (!json) {
      fmt::print("{:<30} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.0f} {:>9.0f} {:>7.3f} {:>7.3f} {:>9.2f}\n",
                 ref.arch, kb, mp.lower_bound / 1024.0, mp.baseline.arena_bytes / 1024.0,
                 ref.tinyengine_kb, ref.xcube_kb, ratio(ref.tinyengine_kb), ratio(ref.xcube_kb),
                 ms[ms.size() / 2]);
    }
  }
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"models", rows},
                                      {"geomean_ratio_to_tflm", geomean},
                                      {"max_ratio_to_tflm", worst},
                                      {"released", released}}
                           .dump(2));
  } else {
    fmt::print("kB = 1024 bytes; TinyEngine / X-CUBE-AI figures are published STM32H743 peaks\n");
  }
  return 0;
}
