#include "core/quant_math.h"

#include <algorithm>
#include <cmath>

namespace mcunet {

QuantizedMultiplier QuantizeMultiplier(double real_multiplier) {
  QuantizedMultiplier result;
  if (real_multiplier == 0.0) return result;
  int shift = 0;
  const double significand = std::frexp(real_multiplier, &shift);
  int64_t q_fixed = static_cast<int64_t>(std::round(significand * (1LL << 31)));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    q_fixed = 0;
  }
  // Multipliers >= 2^30 are not representable with a left shift of at most 30.
  if (shift > 30) {
    shift = 30;
    q_fixed = (1LL << 31) - 1;
  }
  result.multiplier = static_cast<int32_t>(q_fixed);
  result.shift = shift;
  return result;
}

const char* ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kNone:
      return "NONE";
    case Activation::kRelu:
      return "RELU";
    case Activation::kReluN1To1:
      return "RELU_N1_TO_1";
    case Activation::kRelu6:
      return "RELU6";
  }
  return "?";
}

namespace {

// TFLite's CalculateActivationRangeQuantizedImpl: the type's range [qmin, qmax]
// narrowed to the activation's real bounds, quantised with the output's scale.
ClampRange ActivationRange(Activation activation, float output_scale, int32_t output_zero_point,
                           int32_t qmin, int32_t qmax) {
  const auto quantize = [&](float real) {
    return output_zero_point + static_cast<int32_t>(std::round(real / output_scale));
  };
  ClampRange range{qmin, qmax};
  switch (activation) {
    case Activation::kNone:
      break;
    case Activation::kRelu:
      range.min = std::max(range.min, quantize(0.0f));
      break;
    case Activation::kRelu6:
      range.min = std::max(range.min, quantize(0.0f));
      range.max = std::min(range.max, quantize(6.0f));
      break;
    case Activation::kReluN1To1:
      range.min = std::max(range.min, quantize(-1.0f));
      range.max = std::min(range.max, quantize(1.0f));
      break;
  }
  return range;
}

}  // namespace

ClampRange ActivationRangeInt8(Activation activation, float output_scale,
                               int32_t output_zero_point) {
  return ActivationRange(activation, output_scale, output_zero_point, -128, 127);
}

ClampRange ActivationRangeInt16(Activation activation, float output_scale,
                                int32_t output_zero_point) {
  return ActivationRange(activation, output_scale, output_zero_point, -32768, 32767);
}

}  // namespace mcunet
