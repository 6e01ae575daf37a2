#include "core/plot_ticks.h"

#include <algorithm>
#include <cmath>

namespace mcunet {

std::vector<double> RoundTicks(double max_value, int count) {
  if (!(max_value > 0)) max_value = 1;
  const double rough = max_value / std::max(1, count - 1);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = 10 * power;
  for (double m : {1.0, 2.0, 2.5, 5.0}) {
    if (m * power >= rough) {
      step = m * power;
      break;
    }
  }
  std::vector<double> ticks;
  for (int k = 0;; ++k) {
    ticks.push_back(k * step);
    if (k * step >= max_value * (1 - 1e-12)) break;
  }
  return ticks;
}

}  // namespace mcunet
