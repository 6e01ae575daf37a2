// TinyNAS stage 1 figures: time of one arch's build-plus-plan, time of the full
// grid, and the ranking next to MCUNet's published top-10 (ImageNet-100 on
// STM32F746). A benchmark: prints, asserts nothing.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "nas/memory_model.h"
#include "nas/stage1.h"

int main(int argc, char** argv) {
  CLI::App app{"TinyNAS stage 1 on the ImageNet grid for STM32F746 (320 kB / 1 MB)"};
  int samples = 1000, threads = 2;
  bool json = false;
  app.add_option("--samples", samples, "Networks sampled per space");
  app.add_option("--threads", threads, "Worker threads");
  app.add_flag("--json", json, "Print JSON");
  CLI11_PARSE(app, argc, argv);

  // One arch: build (shape only) + prepare + plan, median of 200 samples.
  std::mt19937 rng(7);
  std::vector<double> ms;
  const mcunet::SearchSpace space{0.5, 144, 3, 1000};
  for (int i = 0; i < 200; ++i) {
    const auto arch = mcunet::GenomeToArch(mcunet::SampleGenome(rng), space);
    const auto t0 = std::chrono::steady_clock::now();
    auto cost = mcunet::MeasureArch(arch);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!cost.ok()) return 1;
  }
  std::sort(ms.begin(), ms.end());

  mcunet::Stage1Options o;
  o.sram_bytes = 320 * 1024, o.flash_bytes = 1024 * 1024, o.samples = samples, o.threads = threads;
  const auto t0 = std::chrono::steady_clock::now();
  auto result = mcunet::RunStage1(mcunet::ImageNetGrid(), o);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!result.ok()) {
    fmt::print(stderr, "error: {}\n", result.status().message());
    return 1;
  }
  // MCUNet (NeurIPS'20, Fig. 3 / Table): top-10 spaces for ImageNet-100 on STM32F746, mean MFLOPs.
  const std::vector<std::tuple<double, int, double>> published = {
      {0.3, 160, 32.5}, {0.4, 112, 32.4}, {0.4, 128, 39.3}, {0.4, 144, 46.9}, {0.5, 112, 38.3},
      {0.5, 128, 46.9}, {0.5, 144, 52.0}, {0.6, 112, 41.3}, {0.7, 96, 31.4},  {0.7, 112, 38.4}};
  if (json) {
    nlohmann::json top = nlohmann::json::array();
    for (size_t i = 0; i < std::min<size_t>(10, result->spaces.size()); ++i) {
      const auto& s = result->spaces[i];
      top.push_back({{"w", s.width},
                     {"r", s.resolution},
                     {"mean_macs", s.mean_macs},
                     {"fit_fraction", s.fit_fraction}});
    }
    fmt::print("{}\n", nlohmann::json{{"arch_build_plan_ms_median", ms[ms.size() / 2]},
                                      {"grid_seconds", seconds},
                                      {"archs", result->archs_measured},
                                      {"top10", top}}
                           .dump(2));
    return 0;
  }
  fmt::print("one arch build+prepare+plan: median {:.3f} ms (200 samples, w0.5-r144)\n",
             ms[ms.size() / 2]);
  fmt::print("full ImageNet grid: {} spaces x {} samples = {} archs in {:.1f} s ({} threads)\n\n",
             result->spaces.size(), samples, result->archs_measured, seconds, threads);
  fmt::print("{:<4} {:<12} {:>8} {:>11} {:>9} {:>9} {:>9}    {:<12} {:>9}\n", "rank", "ours", "fit",
             "mean MMACs", "p20", "p50", "p80", "MCUNet", "MFLOPs");
  for (size_t i = 0; i < 10 && i < result->spaces.size(); ++i) {
    const auto& s = result->spaces[i];
    const auto& [pw, pr, pm] = published[i];
    fmt::print(
        "{:<4} w{:.1f}-r{:<6} {:>7.1f}% {:>11.1f} {:>9.1f} {:>9.1f} {:>9.1f}    w{:.1f}-r{:<6} "
        "{:>9.1f}\n",
        i + 1, s.width, s.resolution, 100 * s.fit_fraction, s.mean_macs / 1e6, s.p20_macs / 1e6,
        s.p50_macs / 1e6, s.p80_macs / 1e6, pw, pr, pm);
  }
  fmt::print("(MCUNet's list is its published top-10 in its own order, best w0.5-r144.)\n");
  return 0;
}
