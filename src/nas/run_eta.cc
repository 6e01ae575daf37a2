#include "nas/run_eta.h"

#include <algorithm>
#include <numeric>

namespace mcunet {

double RunEta::DoneWork(size_t phase, double fraction) const {
  phase = std::min(phase, work_.size());
  double done = std::accumulate(work_.begin(), work_.begin() + phase, 0.0);
  if (phase < work_.size()) done += work_[phase] * std::clamp(fraction, 0.0, 1.0);
  return done;
}

std::optional<double> RunEta::Update(size_t phase, double fraction, Clock::time_point now) {
  const double done = DoneWork(phase, fraction);
  // The clock starts in the first phase with work: stage 1's planner time says
  // nothing about how fast training goes.
  if (!start_work_) {
    if (phase >= work_.size() || work_[phase] <= 0) return std::nullopt;
    start_work_ = done;
    start_ = now;
    return std::nullopt;
  }
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double measured = done - *start_work_;
  if (seconds <= 0 || measured <= 0) return std::nullopt;
  const double total = std::accumulate(work_.begin(), work_.end(), 0.0);
  return std::max(0.0, total - done) * seconds / measured;
}

}  // namespace mcunet
