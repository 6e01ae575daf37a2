#include "core/progress_bar.h"

#include <fmt/core.h>

namespace mcunet {

namespace {
std::string Clock(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{:02}:{:02}", s / 60, s % 60);
}
}  // namespace

void ProgressBar::Update(const std::string& phase, int64_t done, int64_t total,
                         const std::string& info) {
  const auto now = std::chrono::steady_clock::now();
  if (phase != phase_) {
    Finish();
    phase_ = phase;
    start_ = now;
    first_done_ = done - 1;  // a resumed phase: the rate counts this run's work only
    last_draw_ = {};
  }
  if (done < total && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? (done - first_done_) / elapsed : 0;
  const std::string eta = rate > 0 ? Clock((total - done) / rate) : "--:--";
  const int width = 30, filled = total > 0 ? static_cast<int>(width * done / total) : 0;
  fmt::print(stderr, "\r{:<22} [{}{}] {}/{} {} elapsed, ETA {} {}   ", phase,
             std::string(filled, '#'), std::string(width - filled, '.'), done, total,
             Clock(elapsed), eta, info);
  open_ = true;
  if (done >= total) Finish();
}

void ProgressBar::Finish() {
  if (open_) fmt::print(stderr, "\n");
  open_ = false;
  phase_.clear();
}

}  // namespace mcunet
