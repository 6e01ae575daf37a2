// The whole run's ETA for a run of several phases (a search: supernet,
// evolution, final training, baselines, export). Each phase's work is stated up
// front in one unit (images through a network, a backward pass counting as two
// forward ones); the rate is what this process has done since its first phase
// with work, so a resumed run does not count the work it found already done.
#pragma once
#include <chrono>
#include <optional>
#include <vector>

namespace mcunet {

class RunEta {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RunEta(std::vector<double> phase_work) : work_(std::move(phase_work)) {}

  // Phase `phase` (0-based) is `fraction` done at `now`: the seconds the whole
  // run has left, or nothing while no work has been measured yet.
  std::optional<double> Update(size_t phase, double fraction, Clock::time_point now);

 private:
  double DoneWork(size_t phase, double fraction) const;

  std::vector<double> work_;
  std::optional<double> start_work_;
  Clock::time_point start_;
};

}  // namespace mcunet
