#include "cli/memory_plot.h"

#include <fmt/format.h>

#include <algorithm>

namespace mcunet::cli {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string MemoryProfileSvg(const std::string& title, const ModelStats& stats) {
  const double width = 900, height = 420, left = 80, right = 20, top = 50, bottom = 60;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const size_t n = stats.layers.size();
  const double max_bytes =
      std::max<double>(1.0, std::max(stats.baseline_sram_bytes, stats.peak_sram_bytes)) * 1.08;
  const auto x = [&](size_t i) { return left + (n <= 1 ? 0.0 : plot_w * i / (n - 1)); };
  const auto y = [&](double bytes) { return top + plot_h * (1.0 - bytes / max_bytes); };
  const auto polyline = [&](auto value, const char* color) {
    std::string points;
    for (size_t i = 0; i < n; ++i) points += fmt::format("{:.1f},{:.1f} ", x(i), y(value(i)));
    return fmt::format("<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>\n", color,
                       points);
  };
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      "<text x='{}' y='25' font-size='15'>{}</text>\n",
      width, height, left, Escape(title));
  // Axes and a few byte gridlines.
  for (int k = 0; k <= 4; ++k) {
    const double bytes = max_bytes * k / 4;
    svg += fmt::format(
        "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#ddd'/>"
        "<text x='{3}' y='{4:.1f}' text-anchor='end'>{5:.0f} kB</text>\n",
        left, left + plot_w, y(bytes), left - 6, y(bytes) + 4, bytes / 1024);
  }
  svg += fmt::format("<text x='{}' y='{}' text-anchor='middle'>layer (execution order)</text>\n",
                     left + plot_w / 2, height - 20);
  for (size_t i = 0; i < n; i += std::max<size_t>(1, n / 10)) {
    svg += fmt::format("<text x='{:.1f}' y='{}' text-anchor='middle'>{}</text>\n", x(i),
                       top + plot_h + 16, i);
  }
  svg += polyline([&](size_t i) { return double(stats.layers[i].baseline_live_bytes); }, "#d62728");
  svg += polyline([&](size_t i) { return double(stats.layers[i].live_bytes); }, "#1f77b4");
  // Arena sizes as dashed lines (the peak SRAM: the arena may exceed the busiest
  // layer's live bytes by placement gaps), and the busiest layer, at its
  // execution position (the x axis), named with its operator index too.
  svg += fmt::format(
      "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#d62728' "
      "stroke-dasharray='6,4'/>\n"
      "<line x1='{0}' x2='{1}' y1='{3:.1f}' y2='{3:.1f}' stroke='#1f77b4' "
      "stroke-dasharray='6,4'/>\n",
      left, left + plot_w, y(stats.baseline_sram_bytes), y(stats.peak_sram_bytes));
  if (n > 0) {
    const LayerStats& peak = stats.layers[stats.peak_layer];
    svg += fmt::format(
        "<circle cx='{:.1f}' cy='{:.1f}' r='5' fill='#1f77b4'/>"
        "<text x='{:.1f}' y='{:.1f}'>busiest: layer {} (operator {}, {}), {:.1f} kB live</text>\n",
        x(stats.peak_layer), y(peak.live_bytes), x(stats.peak_layer) + 8, y(peak.live_bytes) - 8,
        stats.peak_layer, peak.index, peak.op, peak.live_bytes / 1024.0);
  }
  svg += fmt::format(
      "<text x='{0}' y='{1}' fill='#1f77b4'>mcunet arena (peak SRAM) {2:.1f} kB</text>"
      "<text x='{3}' y='{1}' fill='#d62728'>TFLM-style baseline {4:.1f} kB</text>\n</svg>\n",
      left + plot_w - 450, top - 8, stats.peak_sram_bytes / 1024.0, left + plot_w - 190,
      stats.baseline_sram_bytes / 1024.0);
  return svg;
}

}  // namespace mcunet::cli
