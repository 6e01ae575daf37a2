#include "ops/sigmoid_input.h"

#include <fmt/format.h>

#include <cmath>

#include "kernels/mcunet_fixed_point.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"

namespace mcunet {

namespace {

struct SigmoidInput {
  int32_t multiplier = 0;
  int left_shift = 0;
  int32_t range_radius = 0;  // |x - zero point| at or beyond this saturates
};

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

}  // namespace

Expected<std::unique_ptr<PreparedOp>> MakeSigmoidLutOp(
    const Graph& g, const Node& node, const std::function<int32_t(int32_t)>& inside) {
  MCUNET_ASSIGN_OR_RETURN(const SigmoidInput in,
                          PrepareSigmoidInput(node, In(g, node, 0).quant.scale()));
  const int32_t in_zp = In(g, node, 0).quant.zero_point();
  return MakeLutOp(g, node, [&](int32_t v) {
    const int32_t x = v - in_zp;
    if (x <= -in.range_radius) return -128;
    if (x >= in.range_radius) return 127;
    return inside(mcunet_requantize(x, in.multiplier, in.left_shift));
  });
}

}  // namespace mcunet
