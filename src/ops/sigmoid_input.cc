#include "ops/sigmoid_input.h"

#include <fmt/format.h>

#include <cmath>

#include "kernels/mcunet_fixed_point.h"

namespace mcunet {

Expected<SigmoidInput> PrepareSigmoidInput(const Node& node, float input_scale) {
  constexpr int kInputIntegerBits = 4;
  const double real = static_cast<double>(input_scale) * double{1 << (31 - kInputIntegerBits)};
  SigmoidInput s;
  const double q = std::frexp(real, &s.left_shift);
  const double rounded = std::round(q * 2147483648.0);
  // TFLM casts without renormalising; a significand rounding up to 2^31 (or a
  // scale so small the shift turns negative) would be undefined there.
  if (rounded >= 2147483648.0 || s.left_shift < 0 || s.left_shift > 31) {
    return Status::Error(fmt::format("{}: input scale {} is outside what int8 {} supports",
                                     NodeLabel(node), input_scale, OpKindName(node.kind)));
  }
  s.multiplier = static_cast<int32_t>(rounded);
  const double max_input_rescaled = 1.0 * ((1 << kInputIntegerBits) - 1) *
                                    double(int64_t{1} << (31 - kInputIntegerBits)) /
                                    double(int64_t{1} << s.left_shift);
  s.range_radius = static_cast<int32_t>(std::floor(max_input_rescaled));
  return s;
}

int32_t SigmoidInputQ4(const SigmoidInput& in, int32_t x) {
  return mcunet_requantize(x, in.multiplier, in.left_shift);
}

}  // namespace mcunet
