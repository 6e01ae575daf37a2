// Host-side quantisation arithmetic done once at prepare time, following the
// TFLite quantisation spec so that kernels reproduce TFLite's int8 results.
#pragma once

#include <cstdint>

namespace mcunet {

// A real multiplier m as (q, shift) with m ~= q * 2^(shift - 31), q in [2^30, 2^31).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

// TFLite's QuantizeMultiplier: frexp, round the Q31 significand (half away from
// zero), renormalise 2^31, flush shifts below -31 to zero.
QuantizedMultiplier QuantizeMultiplier(double real_multiplier);

enum class Activation : uint8_t { kNone, kRelu, kReluN1To1, kRelu6 };
const char* ActivationName(Activation activation);

struct ClampRange {
  int32_t min;
  int32_t max;
};
// TFLite's CalculateActivationRangeQuantized for int8 outputs: bounds are the
// real clamp points quantised with float division and round-half-away.
ClampRange ActivationRangeInt8(Activation activation, float output_scale,
                               int32_t output_zero_point);
// The same for int16 outputs (bounds within [-32768, 32767]).
ClampRange ActivationRangeInt16(Activation activation, float output_scale,
                                int32_t output_zero_point);

}  // namespace mcunet
