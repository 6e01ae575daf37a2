// Axis ticks a reader can take in at a glance: 0, then steps of 1, 2, 2.5 or 5
// times a power of ten, up to the first tick at or above the largest value.
#pragma once

#include <vector>

namespace mcunet {

// About `count` (at least 2) ticks from 0 covering [0, max_value]; the last is
// the axis end.
std::vector<double> RoundTicks(double max_value, int count = 5);

}  // namespace mcunet
