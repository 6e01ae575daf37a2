// mcunet space --device NAME | --sram B --flash B [--preset imagenet|fashion-mnist] ...
#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/device_budget.h"
#include "nas/stage1.h"

namespace mcunet::cli {
namespace {

// CDF of MACs of the fitting networks, one line per space; the best one bold.
std::string CdfSvg(const Stage1Result& r, const std::string& title) {
  const double W = 900, H = 460, left = 70, right = 170, top = 40, bottom = 50;
  const double pw = W - left - right, ph = H - top - bottom;
  int64_t max_macs = 1;
  for (const auto& s : r.spaces) {
    if (!s.fitting_macs.empty()) max_macs = std::max(max_macs, s.fitting_macs.back());
  }
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      "<text x='{}' y='24' font-size='15'>{}</text>\n"
      "<text x='{}' y='{}' text-anchor='middle'>MMACs of the networks that fit</text>\n"
      "<text x='16' y='{}' transform='rotate(-90 16 {})' text-anchor='middle'>cumulative "
      "fraction</text>\n",
      W, H, left, title, left + pw / 2, H - 12, top + ph / 2, top + ph / 2);
  for (int k = 0; k <= 4; ++k) {
    const double y = top + ph * (1 - k / 4.0), x = left + pw * k / 4.0;
    svg += fmt::format(
        "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#ddd'/>"
        "<text x='{3}' y='{4:.1f}' text-anchor='end'>{5:.2f}</text>"
        "<text x='{6:.1f}' y='{7}' text-anchor='middle'>{8:.0f}</text>\n",
        left, left + pw, y, left - 6, y + 4, k / 4.0, x, top + ph + 16, max_macs * k / 4.0 / 1e6);
  }
  // Draw the weaker spaces first, so the best (index 0) ends on top.
  for (size_t i = r.spaces.size(); i-- > 0;) {
    const SpaceStats& s = r.spaces[i];
    if (s.fitting_macs.empty() || (i >= 10 && i % 4 != 0)) continue;  // keep the plot readable
    std::string points;
    for (size_t k = 0; k < s.fitting_macs.size(); ++k) {
      points += fmt::format("{:.1f},{:.1f} ", left + pw * s.fitting_macs[k] / max_macs,
                            top + ph * (1 - double(k + 1) / s.fitting_macs.size()));
    }
    const bool best = i == 0;
    const std::string color = best ? "#d62728" : (i < 10 ? "#1f77b4" : "#bbbbbb");
    svg += fmt::format("<polyline fill='none' stroke='{}' stroke-width='{}' points='{}'/>\n", color,
                       best ? 3 : 1, points);
    if (i < 10) {
      svg += fmt::format("<text x='{}' y='{}' fill='{}'>{}w{:.1f}-r{} ({:.1f} M)</text>\n",
                         left + pw + 10, top + 14 * (i + 1), color, best ? "best: " : "", s.width,
                         s.resolution, s.mean_macs / 1e6);
    }
  }
  return svg + "</svg>\n";
}

}  // namespace

Command AddSpaceCommand(CLI::App& app) {
  struct Args {
    DeviceOptions device;
    std::string preset = "imagenet", plot;
    int samples = 1000, threads = 2;
    uint32_t seed = 1;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  AddDeviceOptions(app, a->device);
  app.add_option("--preset", a->preset, "Grid: imagenet (3x224, 1000 classes) or fashion-mnist")
      ->default_str("imagenet");
  app.add_option("--samples", a->samples, "Networks sampled per space")->default_str("1000");
  app.add_option("--seed", a->seed, "Random seed")->default_str("1");
  app.add_option("--threads", a->threads, "Worker threads")->default_str("2");
  app.add_flag("--json", a->json, "Print {best: {w, r}, spaces: [...]} as JSON");
  app.add_option("--plot", a->plot, "Write the CDF of MACs per space as SVG (MCUNet's Figure 3)");
  app.footer(
      "TinyNAS stage 1: for every (width w, resolution r) of the grid, samples networks, keeps\n"
      "those whose peak SRAM (our planner, int8) and Flash fit, and ranks spaces by the mean\n"
      "MACs of the fitting ones. Example: mcunet space --device stm32f746 --plot cdf.svg");
  return [a]() {
    const auto fail = [](const std::string& m) {
      fmt::print(stderr, "error: {}\n", m);
      return 1;
    };
    auto budget = ResolveBudget(a->device);
    if (!budget.ok()) return fail(budget.status().message());
    const int64_t sram = budget->sram, flash = budget->flash;
    SpaceGrid grid;
    if (a->preset == "imagenet")
      grid = ImageNetGrid();
    else if (a->preset == "fashion-mnist")
      grid = FashionMnistGrid();
    else
      return fail("--preset must be imagenet or fashion-mnist");
    Stage1Options o;
    o.sram_bytes = sram, o.flash_bytes = flash, o.samples = a->samples, o.seed = a->seed;
    o.threads = a->threads;
    const bool show_progress = !a->json;
    o.progress = [show_progress](int done, int total) {
      if (!show_progress) return;
      const int width = 40, filled = width * done / total;
      fmt::print(stderr, "\r[{}{}] {}/{} spaces", std::string(filled, '#'),
                 std::string(width - filled, '.'), done, total);
      if (done == total) fmt::print(stderr, "\n");
    };
    auto result = RunStage1(grid, o);
    if (!result.ok()) return fail(result.status().message());
    const SpaceStats& best = result->spaces[0];
    if (!a->plot.empty()) {
      std::ofstream out(a->plot);
      out << CdfSvg(*result,
                    fmt::format("TinyNAS stage 1: {} bytes SRAM, {} bytes Flash", sram, flash));
      if (!out) return fail(a->plot + ": cannot write");
    }
    if (a->json) {
      nlohmann::json spaces = nlohmann::json::array();
      for (const auto& s : result->spaces) {
        spaces.push_back({{"w", s.width},
                          {"r", s.resolution},
                          {"fit_fraction", s.fit_fraction},
                          {"mean_macs", s.mean_macs},
                          {"p20_macs", s.p20_macs},
                          {"p50_macs", s.p50_macs},
                          {"p80_macs", s.p80_macs}});
      }
      fmt::print("{}\n", nlohmann::json{{"best", {{"w", best.width}, {"r", best.resolution}}},
                                        {"sram_bytes", sram},
                                        {"flash_bytes", flash},
                                        {"spaces", spaces}}
                             .dump(2));
      return 0;
    }
    fmt::print("{:<5} {:<12} {:>8} {:>11} {:>9} {:>9} {:>9}\n", "rank", "space", "fit",
               "mean MMACs", "p20", "p50", "p80");
    for (size_t i = 0; i < result->spaces.size(); ++i) {
      const auto& s = result->spaces[i];
      fmt::print("{:<5} w{:.1f}-r{:<6} {:>7.1f}% {:>11.2f} {:>9.2f} {:>9.2f} {:>9.2f}\n", i + 1,
                 s.width, s.resolution, 100 * s.fit_fraction, s.mean_macs / 1e6, s.p20_macs / 1e6,
                 s.p50_macs / 1e6, s.p80_macs / 1e6);
    }
    fmt::print("best space: w{:.1f}-r{} ({} archs measured with our planner)\n", best.width,
               best.resolution, result->archs_measured);
    return 0;
  };
}

}  // namespace mcunet::cli
