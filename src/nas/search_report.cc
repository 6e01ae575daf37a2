#include "nas/search_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace mcunet {

std::string ParetoSvg(const std::vector<Candidate>& evaluated, const std::vector<Candidate>& front,
                      const Candidate& kept, int64_t sram_budget, const std::string& title) {
  const double W = 820, H = 480, left = 70, right = 30, top = 44, bottom = 56;
  const double pw = W - left - right, ph = H - top - bottom;
  double lo = 1, hi = 0;
  int64_t max_sram = sram_budget;
  for (const Candidate& c : evaluated) {
    lo = std::min(lo, c.fitness);
    hi = std::max(hi, c.fitness);
    max_sram = std::max(max_sram, c.cost.peak_sram_bytes);
  }
  if (evaluated.empty()) lo = 0, hi = 1;
  const double span = std::max(0.01, hi - lo);
  lo = std::max(0.0, lo - 0.05 * span), hi = std::min(1.0, hi + 0.05 * span);
  const auto x = [&](int64_t sram) { return left + pw * double(sram) / (max_sram * 1.05); };
  const auto y = [&](double acc) { return top + ph * (1 - (acc - lo) / (hi - lo)); };
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{0}' height='{1}' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      "<text x='{2}' y='24' font-size='15'>{3}</text>\n"
      "<text x='{4}' y='{5}' text-anchor='middle'>peak SRAM (kB, our planner, int8)</text>\n"
      "<text x='16' y='{6}' transform='rotate(-90 16 {6})' text-anchor='middle'>held-out "
      "accuracy (%)</text>\n",
      W, H, left, title, left + pw / 2, H - 14, top + ph / 2);
  for (int k = 0; k <= 4; ++k) {
    const double acc = lo + (hi - lo) * k / 4, sram = max_sram * 1.05 * k / 4;
    svg += fmt::format(
        "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#e5e5e5'/>"
        "<text x='{3}' y='{4:.1f}' text-anchor='end'>{5:.1f}</text>"
        "<text x='{6:.1f}' y='{7}' text-anchor='middle'>{8:.0f}</text>\n",
        left, left + pw, y(acc), left - 6, y(acc) + 4, 100 * acc, left + pw * k / 4,
        top + ph + 18, sram / 1024);
  }
  svg += fmt::format(
      "<line x1='{0:.1f}' x2='{0:.1f}' y1='{1}' y2='{2}' stroke='#999' stroke-dasharray='5,4'/>"
      "<text x='{3:.1f}' y='{4}' fill='#666' text-anchor='end'>SRAM budget</text>\n",
      x(sram_budget), top, top + ph, x(sram_budget) - 4, top + 12);
  for (const Candidate& c : evaluated) {
    svg += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='3' fill='#9ecae1'/>\n",
                       x(c.cost.peak_sram_bytes), y(c.fitness));
  }
  std::string points;
  for (const Candidate& c : front) {
    points += fmt::format("{:.1f},{:.1f} ", x(c.cost.peak_sram_bytes), y(c.fitness));
  }
  svg += fmt::format("<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='{}'/>\n",
                     points);
  svg += fmt::format(
      "<circle cx='{0:.1f}' cy='{1:.1f}' r='6' fill='#d62728'/>"
      "<text x='{2:.1f}' y='{3:.1f}' fill='#d62728'>kept {4:.2f}%</text>\n",
      x(kept.cost.peak_sram_bytes), y(kept.fitness), x(kept.cost.peak_sram_bytes) + 9,
      y(kept.fitness) + 4, 100 * kept.fitness);
  return svg + "</svg>\n";
}

}  // namespace mcunet
