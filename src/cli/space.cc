// mcunet space --device NAME | --sram B --flash B [--preset imagenet|fashion-mnist] ...
#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/device_budget.h"
#include "cli/html_page.h"
#include "core/plot_ticks.h"
#include "core/progress_bar.h"
#include "nas/stage1.h"
#include "nas/stage2.h"

namespace mcunet::cli {
namespace {

// Ten distinguishable colours (matplotlib's tab10) for the ten best spaces.
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// CDF of MACs of the fitting networks: the ten best spaces in distinct colours
// (the picked one thicker, named in the legend), every fourth other in grey.
std::string CdfSvg(const Stage1Result& r, const SpaceStats& picked, const std::string& title) {
  const double W = 900, H = 460, left = 70, right = 190, top = 40, bottom = 50;
  const double pw = W - left - right, ph = H - top - bottom;
  int64_t max_macs = 1;
  for (const auto& s : r.spaces) {
    if (!s.fitting_macs.empty()) max_macs = std::max(max_macs, s.fitting_macs.back());
  }
  const std::vector<double> ticks = RoundTicks(max_macs / 1e6);
  const double axis_mmacs = ticks.back();
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      "<text x='{}' y='24' font-size='15'>{}</text>\n"
      "<text x='{}' y='{}' text-anchor='middle'>MMACs of the networks that fit</text>\n"
      "<text x='16' y='{}' transform='rotate(-90 16 {})' text-anchor='middle'>cumulative "
      "fraction</text>\n",
      W, H, left, HtmlEscape(title), left + pw / 2, H - 12, top + ph / 2, top + ph / 2);
  for (int k = 0; k <= 4; ++k) {
    const double y = top + ph * (1 - k / 4.0);
    svg += fmt::format(
        "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#ddd'/>"
        "<text x='{3}' y='{4:.1f}' text-anchor='end'>{5:g}</text>\n",
        left, left + pw, y, left - 6, y + 4, k / 4.0);
  }
  for (double t : ticks) {
    const double x = left + pw * t / axis_mmacs;
    svg += fmt::format(
        "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#eee'/>"
        "<text x='{0:.1f}' y='{3}' text-anchor='middle'>{4:g}</text>\n",
        x, top, top + ph, top + ph + 16, t);
  }
  // Weaker spaces first, so the best end on top.
  for (size_t i = r.spaces.size(); i-- > 0;) {
    const SpaceStats& s = r.spaces[i];
    if (s.fitting_macs.empty() || (i >= 10 && i % 4 != 0)) continue;  // keep the plot readable
    std::string points;
    for (size_t k = 0; k < s.fitting_macs.size(); ++k) {
      points += fmt::format("{:.1f},{:.1f} ",
                            left + pw * s.fitting_macs[k] / 1e6 / axis_mmacs,
                            top + ph * (1 - double(k + 1) / s.fitting_macs.size()));
    }
    const bool chosen = &s == &picked;
    const std::string color = i < 10 ? kPalette[i] : "#cccccc";
    svg += fmt::format("<polyline fill='none' stroke='{}' stroke-width='{}' points='{}'/>\n", color,
                       chosen ? 3.5 : 1.5, points);
    if (i < 10) {
      svg += fmt::format(
          "<text x='{}' y='{}' fill='{}'{}>{}. w{:g}-r{} ({:.1f} M){}</text>\n", left + pw + 10,
          top + 16 * (i + 1), color, chosen ? " font-weight='bold'" : "", i + 1, s.width,
          s.resolution, s.mean_macs / 1e6, chosen ? " picked" : "");
    }
  }
  return svg + "</svg>\n";
}

// "320 kB" / "1 MB" for titles and tables.
std::string Size(int64_t bytes) {
  return bytes % (1 << 20) == 0 ? fmt::format("{} MB", bytes >> 20)
                                : fmt::format("{:g} kB", bytes / 1024.0);
}

}  // namespace

Command AddSpaceCommand(CLI::App& app) {
  struct Args {
    DeviceOptions device;
    std::string preset = "imagenet", plot, budget;
    int samples = 0, threads = 2, top = 10;
    uint32_t seed = 1;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  AddDeviceOptions(app, a->device);
  app.add_option("--preset", a->preset, "Grid: imagenet (3x224, 1000 classes) or fashion-mnist")
      ->default_str("imagenet");
  app.add_option("--budget", a->budget,
                 "As `mcunet search --budget` ranks spaces (fashion-mnist grid): its resolution "
                 "cap, mean-MACs limit and samples per space (smoke, demo, quick, full)");
  app.add_option("--samples", a->samples, "Networks sampled per space (default 1000, or the "
                                          "budget's)");
  app.add_option("--seed", a->seed, "Random seed")->default_str("1");
  app.add_option("--threads", a->threads, "Worker threads")->default_str("2");
  app.add_option("--top", a->top, "Rows of the table: the N best spaces")
      ->default_str("10")
      ->check(CLI::PositiveNumber);
  app.add_flag("--json", a->json, "Print {best: {w, r}, spaces: [...]} (every space) as JSON");
  app.add_option("--plot", a->plot, "Write the CDF of MACs per space as SVG (MCUNet's Figure 3)");
  app.footer(
      "TinyNAS stage 1: for every (width w, resolution r) of the grid, samples networks, keeps\n"
      "those whose peak SRAM (our planner, int8) and Flash fit, and ranks spaces by the mean\n"
      "MACs of the fitting ones. The picked space is the best whose networks fit at least 1 in\n"
      "100 times (and, with --budget, whose mean MACs the budget can train), as `search` picks.\n"
      "Example: mcunet space --device stm32f746 --plot cdf.svg\n"
      "         mcunet space --device stm32l432 --budget quick   # what `search` would pick");
  return [a]() {
    const auto fail = [](const std::string& m) {
      fmt::print(stderr, "error: {}\n", m);
      return 1;
    };
    auto budget = ResolveBudget(a->device);
    if (!budget.ok()) return fail(budget.status().message());
    const int64_t sram = budget->sram, flash = budget->flash;
    if (a->preset != "imagenet" && a->preset != "fashion-mnist") {
      return fail("--preset must be imagenet or fashion-mnist");
    }
    // --budget ranks as search does, on the fashion-mnist grid.
    SpaceGrid grid = a->preset == "fashion-mnist" || !a->budget.empty() ? FashionMnistGrid()
                                                                         : ImageNetGrid();
    double max_mean_macs = 0;
    int samples = a->samples > 0 ? a->samples : 1000;
    if (!a->budget.empty()) {
      auto preset = BudgetByName(a->budget);
      if (!preset.ok()) return fail(preset.status().message());
      // The search's own grid (nas/torch/stage2_run.cc, Stage1).
      grid.resolutions.clear();
      for (int r = 32; r <= preset->max_resolution; r += 8) grid.resolutions.push_back(r);
      max_mean_macs = preset->max_mean_macs;
      if (a->samples <= 0) samples = preset->stage1_samples;
    }
    Stage1Options o;
    o.sram_bytes = sram, o.flash_bytes = flash, o.samples = samples, o.seed = a->seed;
    o.threads = a->threads;
    ProgressBar bar;
    const bool show_progress = !a->json;
    o.progress = [&bar, show_progress](int done, int total) {
      if (show_progress) bar.Update("stage 1: ranking search spaces", done, total, "spaces");
    };
    auto result = RunStage1(grid, o);
    bar.Finish();
    if (!result.ok()) return fail(result.status().message());
    const SpaceStats& picked = PickSpace(*result, max_mean_macs);
    const std::string where = budget->device ? budget->device->name + ": " : "";
    if (!a->plot.empty()) {
      std::ofstream out(a->plot);
      out << CdfSvg(*result, picked,
                    fmt::format("TinyNAS stage 1, {}{} SRAM, {} Flash", where, Size(sram),
                                Size(flash)));
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
      fmt::print("{}\n", nlohmann::json{{"best", {{"w", picked.width}, {"r", picked.resolution}}},
                                        {"sram_budget_bytes", sram},
                                        {"flash_budget_bytes", flash},
                                        {"spaces", spaces}}
                             .dump(2));
      return 0;
    }
    fmt::print("{}{} SRAM, {} Flash; {} networks sampled per space\n", where, Size(sram),
               Size(flash), samples);
    fmt::print("{:<5} {:<12} {:>8} {:>11} {:>9} {:>9} {:>9}\n", "rank", "space", "fit",
               "mean MMACs", "p20", "p50", "p80");
    size_t none_fit = 0;
    for (const auto& s : result->spaces) none_fit += s.fit_fraction == 0;
    const size_t shown = std::min<size_t>(a->top, result->spaces.size() - none_fit);
    for (size_t i = 0; i < shown; ++i) {
      const auto& s = result->spaces[i];
      fmt::print("{:<5} w{:.1f}-r{:<6} {:>7.1f}% {:>11.2f} {:>9.2f} {:>9.2f} {:>9.2f}{}\n", i + 1,
                 s.width, s.resolution, 100 * s.fit_fraction, s.mean_macs / 1e6, s.p20_macs / 1e6,
                 s.p50_macs / 1e6, s.p80_macs / 1e6, &s == &picked ? "  <- picked" : "");
    }
    if (result->spaces.size() > shown) {
      fmt::print("({} more spaces with fitting networks, {} with none; --top N or --json shows "
                 "them)\n",
                 result->spaces.size() - none_fit - shown, none_fit);
    }
    fmt::print("picked space: w{:.1f}-r{} ({} archs measured with our planner)\n", picked.width,
               picked.resolution, result->archs_measured);
    return 0;
  };
}

}  // namespace mcunet::cli
