#include "nas/search_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/plot_ticks.h"

namespace mcunet {

std::string ParetoSvg(const std::vector<Candidate>& evaluated, const std::vector<Candidate>& front,
                      const Candidate& kept, int64_t sram_budget, int64_t flash_budget,
                      const std::string& title) {
  // Two panels side by side, the same accuracy axis: against peak SRAM (with the
  // Pareto front) and against Flash, each with its budget; whichever limit binds
  // shows as points stopping at its line.
  const double W = 1000, H = 480, top = 48, bottom = 56, panel_w = 410, ph = H - top - bottom;
  const double lefts[2] = {70, 70 + panel_w + 70};
  double lo = 1, hi = 0;
  for (const Candidate& c : evaluated) lo = std::min(lo, c.fitness), hi = std::max(hi, c.fitness);
  if (evaluated.empty()) lo = 0, hi = 1;
  const std::vector<double> acc_ticks = RoundTicks(100 * (hi - lo), 5);
  const double acc_step = acc_ticks.size() > 1 ? acc_ticks[1] / 100 : 0.01;
  lo = std::max(0.0, std::floor(lo / acc_step) * acc_step);
  hi = std::min(1.0, std::ceil(hi / acc_step) * acc_step);
  if (hi <= lo) hi = std::min(1.0, lo + acc_step);
  const auto y = [&](double acc) { return top + ph * (1 - (acc - lo) / (hi - lo)); };
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{0}' height='{1}' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      "<text x='{2}' y='24' font-size='15'>{3}</text>\n"
      "<text x='16' y='{4}' transform='rotate(-90 16 {4})' text-anchor='middle'>held-out "
      "accuracy during the search (%)</text>\n",
      W, H, lefts[0], title, top + ph / 2);
  for (int panel = 0; panel < 2; ++panel) {
    const bool sram = panel == 0;
    const double left = lefts[panel];
    const int64_t budget = sram ? sram_budget : flash_budget;
    const auto bytes = [sram](const Candidate& c) {
      return sram ? c.cost.peak_sram_bytes : c.cost.flash_bytes;
    };
    int64_t most = budget;
    for (const Candidate& c : evaluated) most = std::max(most, bytes(c));
    const std::vector<double> kb_ticks = RoundTicks(most / 1024.0, 5);
    const double axis_kb = kb_ticks.back();
    const auto x = [&](int64_t b) { return left + panel_w * (b / 1024.0) / axis_kb; };
    svg += fmt::format(
        "<text x='{}' y='{}' text-anchor='middle'>{}</text>\n", left + panel_w / 2, H - 14,
        sram ? "peak SRAM (kB, our planner, int8)" : "Flash (kB: weights, tables, code estimate)");
    for (double acc = lo; acc <= hi + 1e-9; acc += acc_step) {
      svg += fmt::format(
          "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#e5e5e5'/>"
          "<text x='{3}' y='{4:.1f}' text-anchor='end'>{5:g}</text>\n",
          left, left + panel_w, y(acc), left - 6, y(acc) + 4, std::round(1000 * acc) / 10);
    }
    for (double kb : kb_ticks) {
      svg += fmt::format("<text x='{:.1f}' y='{}' text-anchor='middle'>{:g}</text>\n",
                         left + panel_w * kb / axis_kb, top + ph + 18, kb);
    }
    svg += fmt::format(
        "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#d62728' "
        "stroke-dasharray='5,4'/><text x='{3:.1f}' y='{4}' fill='#d62728' "
        "text-anchor='end'>{5} budget {6:g} kB</text>\n",
        x(budget), top, top + ph, x(budget) - 4, top + 12, sram ? "SRAM" : "Flash",
        budget / 1024.0);
    for (const Candidate& c : evaluated) {
      svg += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='3' fill='#9ecae1'/>\n", x(bytes(c)),
                         y(c.fitness));
    }
    if (sram) {
      std::string points;
      for (const Candidate& c : front) {
        points += fmt::format("{:.1f},{:.1f} ", x(bytes(c)), y(c.fitness));
      }
      svg += fmt::format("<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='{}'/>\n",
                         points);
    }
    svg += fmt::format(
        "<circle cx='{0:.1f}' cy='{1:.1f}' r='6' fill='#ff7f0e'/>"
        "<text x='{2:.1f}' y='{3:.1f}' fill='#ff7f0e'>kept: {4:.2f} % held-out</text>\n",
        x(bytes(kept)), y(kept.fitness), x(bytes(kept)) + 9, y(kept.fitness) + 4,
        100 * kept.fitness);
  }
  return svg + "</svg>\n";
}

}  // namespace mcunet
