// An independent, slow statement of the TFLite int8 quantisation spec, written
// from the spec rather than from the kernels: exact int64 / long double
// arithmetic with explicit tie rules, used as the oracle in kernel tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mcunet::testing {

// x / 2^n rounded to nearest, ties away from zero, exactly.
inline int64_t RefRoundShift(int64_t x, int n) {
  if (n == 0) return x;
  const int64_t d = int64_t{1} << n;
  const int64_t q = x / d, r = x % d;  // truncation toward zero
  if (2 * (r < 0 ? -r : r) >= d) return x < 0 ? q - 1 : q + 1;
  return q;
}

// x / 2^n rounded to nearest, ties toward +infinity, exactly (floor division).
inline int64_t RefRoundHalfUpShift(int64_t x, int n) {
  const int64_t d = int64_t{1} << n;
  const int64_t shifted = x + d / 2;
  return shifted >= 0 ? shifted / d : -((-shifted + d - 1) / d);
}

// The spec's requantisation: M = m * 2^(shift-31). TFLite rounds twice: first the
// Q31 product (gemmlowp's SaturatingRoundingDoublingHighMul: its nudge of
// 1 - 2^30 for negative products, then truncation, sends ties toward +infinity
// on both signs; saturating), then the right shift (ties away from zero).
inline int32_t RefRequantize(int32_t acc, int32_t m, int shift) {
  const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int64_t scaled =
      static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(acc) << left));
  // The saturated high product still goes through the right shift.
  const int64_t high =
      scaled == INT32_MIN && m == INT32_MIN ? INT32_MAX : RefRoundHalfUpShift(scaled * m, 31);
  return static_cast<int32_t>(RefRoundShift(high, right));
}

// The spec's multiplier encoding: real = m * 2^(shift - 31), m in [2^30, 2^31).
inline void RefQuantizeMultiplier(double real, int32_t* m, int* shift) {
  if (real == 0) {
    *m = 0, *shift = 0;
    return;
  }
  int e = 0;
  while (std::fabs(real) * std::ldexp(1.0, -e) >= 1.0) ++e;
  while (std::fabs(real) * std::ldexp(1.0, -e) < 0.5) --e;
  long double q = std::roundl(static_cast<long double>(real) * std::ldexp(1.0L, 31 - e));
  if (std::fabs(q) == std::ldexp(1.0L, 31)) q /= 2, ++e;
  *m = static_cast<int32_t>(q);
  *shift = e;
}

inline int32_t Clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

// The 16x8 spec's requantisation of an int64 accumulator (TFLite's
// MultiplyByQuantizedMultiplier for int64): M = m * 2^(shift-31) with m first
// rounded to 15 fractional bits (m / 2^16, ties up, at most 2^15 - 1), then one
// rounding of acc * M, ties toward +infinity. Exact in int64 for |acc| < 2^47.
inline int32_t RefRequantize64(int64_t acc, int32_t m, int shift) {
  const int64_t reduced = std::min<int64_t>(RefRoundHalfUpShift(m, 16), 32767);
  return static_cast<int32_t>(RefRoundHalfUpShift(acc * reduced, 15 - shift));
}

// Activation clamp of the spec: real bounds quantised with the output scale,
// within the output type's range [qmin, qmax] (int8 unless given).
inline void RefActivationRange(int activation, float scale, int32_t zp, int32_t* lo, int32_t* hi,
                               int32_t qmin = -128, int32_t qmax = 127) {
  *lo = qmin, *hi = qmax;
  auto q = [&](float r) { return zp + static_cast<int32_t>(std::round(r / scale)); };
  if (activation == 1 || activation == 3) *lo = std::max(*lo, q(0.0f));
  if (activation == 3) *hi = std::min(*hi, q(6.0f));
  if (activation == 2) *lo = std::max(*lo, q(-1.0f)), *hi = std::min(*hi, q(1.0f));
}

}  // namespace mcunet::testing
