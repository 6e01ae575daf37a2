#include "ops/sigmoid_table.h"

#include <cmath>

namespace mcunet {

const std::array<uint16_t, 256>& SigmoidTable() {
  static const std::array<uint16_t, 256> table = [] {
    std::array<uint16_t, 256> t{};
    const double h = 1.0 / 24.0;
    for (int k = 0; k < 255; ++k) {
      const double s = 1.0 / (1.0 + std::exp(-k * h));
      const double curvature = s * (1.0 - s) * (1.0 - 2.0 * s);  // sigmoid''
      const double lifted = 65536.0 * (s - h * h / 16.0 * curvature);
      t[k] = static_cast<uint16_t>(std::fmin(65535.0, std::floor(lifted + 0.5)));
    }
    t[255] = 0xFFFF;
    return t;
  }();
  return table;
}

}  // namespace mcunet
