#include "cli/memory_plot.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/html_page.h"
#include "core/plot_ticks.h"

namespace mcunet::cli {
namespace {

// A plot's opening: its size, a white background and the title.
std::string PlotStart(double width, double height, double title_x, const std::string& title) {
  return fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      "<text x='{}' y='25' font-size='15'>{}</text>\n",
      width, height, title_x, HtmlEscape(title));
}

// Horizontal gridlines from x0 to x1 at each tick, labelled "N kB"; y maps kB to a row.
template <typename Y>
std::string KbGridlines(const std::vector<double>& ticks_kb, double x0, double x1, Y y) {
  std::string svg;
  for (double kb : ticks_kb) {
    svg += fmt::format(
        "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#ddd'/>"
        "<text x='{3}' y='{4:.1f}' text-anchor='end'>{5:g} kB</text>\n",
        x0, x1, y(kb), x0 - 6, y(kb) + 4, kb);
  }
  return svg;
}

}  // namespace

std::string MemoryProfileSvg(const std::string& title, const ModelStats& stats) {
  const double width = 900, height = 420, left = 80, right = 20, top = 50, bottom = 60;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const size_t n = stats.layers.size();
  // Round kB gridlines; the axis ends at the first one above both arenas.
  const std::vector<double> ticks_kb =
      RoundTicks(std::max(stats.baseline_sram_bytes, stats.peak_sram_bytes) / 1024.0);
  const double max_bytes = ticks_kb.back() * 1024;
  const auto x = [&](size_t i) { return left + (n <= 1 ? 0.0 : plot_w * i / (n - 1)); };
  const auto y = [&](double bytes) { return top + plot_h * (1.0 - bytes / max_bytes); };
  const auto polyline = [&](auto value, const char* color) {
    std::string points;
    for (size_t i = 0; i < n; ++i) points += fmt::format("{:.1f},{:.1f} ", x(i), y(value(i)));
    return fmt::format("<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>\n", color,
                       points);
  };
  std::string svg =
      PlotStart(width, height, left, title) +
      KbGridlines(ticks_kb, left, left + plot_w, [&](double kb) { return y(kb * 1024); });
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

std::string ArenaLayoutSvg(const std::string& title, const MemoryPlan& memory,
                           const ArenaPlan& plan) {
  const double width = 900, height = 420, left = 80, right = 20, top = 50, bottom = 60;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  int steps = 1;
  for (const BufferRequest& r : memory.requests) steps = std::max(steps, r.last_step + 1);
  const std::vector<double> ticks_kb = RoundTicks(plan.arena_bytes / 1024.0);
  const double arena = ticks_kb.back() * 1024;
  const auto x = [&](double step) { return left + plot_w * step / steps; };
  const auto y = [&](double bytes) { return top + plot_h * (1.0 - bytes / arena); };
  std::vector<bool> is_tensor(memory.requests.size(), false);
  for (int request : memory.request_of_tensor) {
    if (request >= 0) is_tensor[request] = true;
  }
  std::string svg =
      PlotStart(width, height, left, title) +
      KbGridlines(ticks_kb, left, left + plot_w, [&](double kb) { return y(kb * 1024); });
  svg += fmt::format(
      "<line x1='{0}' x2='{1}' y1='{2:.1f}' y2='{2:.1f}' stroke='#1f77b4' "
      "stroke-dasharray='6,4'/>\n",
      left, left + plot_w, y(static_cast<double>(plan.arena_bytes)));
  for (size_t i = 0; i < memory.requests.size() && i < plan.offsets.size(); ++i) {
    const BufferRequest& r = memory.requests[i];
    if (r.size <= 0) continue;
    const double x0 = x(r.first_step), x1 = x(r.last_step + 1);
    const double y0 = y(static_cast<double>(plan.offsets[i] + r.size)), y1 = y(plan.offsets[i]);
    svg += fmt::format(
        "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}' fill-opacity='0.55' "
        "stroke='#333' stroke-width='0.5'><title>{} {}: {} B at offset {}, steps {}-{}</title>"
        "</rect>\n",
        x0, y0, std::max(0.5, x1 - x0), std::max(0.5, y1 - y0),
        is_tensor[i] ? "#1f77b4" : "#ff7f0e", is_tensor[i] ? "buffer" : "scratch", i, r.size,
        plan.offsets[i], r.first_step, r.last_step);
  }
  svg += fmt::format(
      "<text x='{}' y='{}' text-anchor='middle'>step (execution order)</text>\n"
      "<text x='{}' y='{}' fill='#1f77b4'>activations</text>"
      "<text x='{}' y='{}' fill='#ff7f0e'>scratch</text>"
      "<text x='{}' y='{}'>arena {} bytes</text>\n</svg>\n",
      left + plot_w / 2, height - 20, left + plot_w - 330, top - 8, left + plot_w - 240, top - 8,
      left + plot_w - 160, top - 8, plan.arena_bytes);
  for (int s = 0; s < steps; s += std::max(1, steps / 10)) {
    svg.insert(svg.size() - 7,
               fmt::format("<text x='{:.1f}' y='{}' text-anchor='middle'>{}</text>\n", x(s + 0.5),
                           top + plot_h + 16, s));
  }
  return svg;
}

}  // namespace mcunet::cli
