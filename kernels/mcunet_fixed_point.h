/* Fixed-point primitives of the TFLite int8 quantisation spec (gemmlowp's
 * rounding rules), shared by every kernel. C99, header-only, no libc. */
#ifndef MCUNET_FIXED_POINT_H_
#define MCUNET_FIXED_POINT_H_

#include <stdint.h>

/* round(a * b / 2^31), ties toward +infinity (gemmlowp's nudge of 2^30 or
 * 1 - 2^30, then truncation); the one overflow case saturates. */
static inline int32_t mcunet_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  return (int32_t)((ab + nudge) / (1LL << 31)); /* C division truncates, as TFLite's */
}

/* mcunet_srdhm where a and b are not both INT32_MIN (so it cannot saturate).
 * Adding 2^30 and flooring rounds exactly as gemmlowp's nudge-and-truncate: for
 * a negative product -(q*2^31 + r) both give -q - [r > 2^30]. One SMLAL on
 * Cortex-M instead of a branch and a 64-bit division. */
static inline int32_t mcunet_srdhm_unsaturated(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * b + (1LL << 30)) >> 31);
}

/* x / 2^exponent (0 <= exponent <= 31) rounded to nearest, ties away from zero. */
static inline int32_t mcunet_rounding_divide_by_pot(int32_t x, int exponent) {
  int32_t mask = (int32_t)((1u << exponent) - 1u);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) - (x >> 31); /* one more for negative x */
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* mcunet_requantize for shift <= -2 (every convolution whose scale ratio is
 * below 1/2), with both roundings done by one 64-bit sum. With P = x *
 * multiplier, e = -shift and H = floor((P + 2^30) / 2^31), the rounding shift of
 * H is floor((H + 2^(e-1) - [H < 0]) / 2^e), and nested floor divisions merge:
 * the result is floor((P + 2^30 - [P < 0] 2^31 + 2^(30+e)) / 2^(31+e)).
 * ([P < 0] differs from [H < 0] only where H = 0, and both then give 0; the
 * saturating case P = 2^62 gives TFLite's result too.) The last term is 2^(e-2)
 * units of 2^32, so: one SMLAL onto +-2^30, then the high word plus 2^(e-2),
 * shifted right by e - 1. Multipliers may be negative (weights with negative
 * scales), so the sign of P is that of x ^ multiplier. */
static inline int32_t mcunet_requantize_down(int32_t x, int32_t multiplier, int shift) {
  const uint32_t sign = (uint32_t)((x ^ multiplier) >> 31); /* all ones: P < 0 */
  const int64_t nudge = (int64_t)(((uint64_t)sign << 32) | (sign << 31) | 0x40000000u); /* +-2^30 */
  const int32_t high = (int32_t)(((int64_t)x * multiplier + nudge) >> 32);
  return (high + (1 << (-shift - 2))) >> (-shift - 1);
}

/* mcunet_requantize_down(x, multiplier, -(e + 2)): the nudge +-2^30 built from
 * the product's sign, and the rounding shift as floor((floor(h / 2^e) + 1) / 2)
 * (equal to floor((h + 2^e) / 2^(e + 1))), so no per-channel rounding constant. */
static inline int32_t mcunet_requantize_down_fast(int32_t x, int32_t multiplier, int32_t e) {
  const int32_t negative = (x ^ multiplier) >> 31; /* 0 or -1 */
  const uint32_t low = 0x40000000u + ((uint32_t)negative << 31);
  const int64_t nudge = (int64_t)(((uint64_t)(uint32_t)negative << 32) | low);
  const int32_t high = (int32_t)(((int64_t)x * multiplier + nudge) >> 32);
  return ((high >> e) + 1) >> 1;
}

/* mcunet_requantize_down_fast for a positive multiplier, where the product's
 * sign is x's: the rounding shift's 2^e (`round`, from the caller, once per
 * channel) joins the nudge's high word, so the SMLAL's high word shifted by
 * e + 1 is the result (floor((P + nudge + 2^(e+32)) / 2^(e+33)), as above). */
static inline int32_t mcunet_requantize_down_positive(int32_t x, int32_t multiplier, int32_t e,
                                                      int32_t round) {
  const int32_t negative = x >> 31; /* 0 or -1 */
  const uint32_t low = 0x40000000u + ((uint32_t)negative << 31);
  const int64_t nudge = (int64_t)(((uint64_t)(uint32_t)(negative + round) << 32) | low);
  return (int32_t)(((int64_t)x * multiplier + nudge) >> 32) >> (e + 1);
}

/* TFLite's MultiplyByQuantizedMultiplier (double rounding): shift > 0 scales up
 * before the high multiply, shift < 0 rounds down after it. */
static inline int32_t mcunet_requantize(int32_t x, int32_t multiplier, int shift) {
  if (shift <= -2) return mcunet_requantize_down(x, multiplier, shift);
  int left_shift = shift > 0 ? shift : 0;
  int right_shift = shift > 0 ? 0 : -shift;
  int32_t scaled = (int32_t)((uint32_t)x << left_shift);
  return mcunet_rounding_divide_by_pot(mcunet_srdhm(scaled, multiplier), right_shift);
}

/* TFLite's MultiplyByQuantizedMultiplier for an int64 accumulator (the 16x8
 * kernels, whose int64 bias makes the sum int64): the Q31 multiplier is first
 * rounded to Q15 (half up, capped at 0x7FFF), then the 64-bit product is
 * shifted right by 15 - shift with one rounding, ties toward +infinity. It
 * needs multiplier >= 0, -31 <= shift <= 7 and |x| < 2^47 (the host checks
 * them), so the product fits in 62 bits. Like TFLite, it keeps the low 32 bits
 * of the shifted value: the caller's clamp then sees what TFLite's sees. */
static inline int32_t mcunet_requantize_s64(int64_t x, int32_t multiplier, int shift) {
  const int64_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t v = (x * reduced + ((int64_t)1 << (total_shift - 1))) >> total_shift;
  return (int32_t)(uint32_t)(uint64_t)v;
}

/* Saturating x * 2^exponent for exponent >= 0 (gemmlowp's threshold rule). */
static inline int32_t mcunet_saturating_shift_left(int32_t x, int exponent) {
  if (exponent == 0) return x;
  int32_t threshold = (int32_t)((1LL << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

static inline int32_t mcunet_clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* A 16x8 kernel's output: mcunet_requantize_s64, clamped to [lo, hi] less the
 * zero point, then the zero point added (the clamp first, as TFLite's). */
static inline int16_t mcunet_requantize_s64_to_int16(int64_t acc, int32_t multiplier, int shift,
                                                     int32_t output_offset, int32_t lo,
                                                     int32_t hi) {
  const int32_t v = mcunet_requantize_s64(acc, multiplier, shift);
  return (int16_t)(mcunet_clamp_i32(v, lo - output_offset, hi - output_offset) + output_offset);
}

/* Whether every channel's shift is <= -2, so mcunet_requantize_down_fast serves
 * the whole layer (checked once per kernel call). */
static inline int mcunet_all_shifts_down(const int32_t* shift, int32_t channels) {
  for (int32_t c = 0; c < channels; ++c) {
    if (shift[c] > -2) return 0;
  }
  return 1;
}

/* Requantise an accumulator, add the output zero point and clamp to [lo, hi]
 * (an int8 or int16 range). The clamp is applied before the zero point is
 * added, so that a large rescaled value cannot overflow (undefined in C); the
 * result is TFLite's wherever TFLite's own int32 sum does not overflow. */
static inline int32_t mcunet_requantize_clamped(int32_t acc, int32_t multiplier, int shift,
                                                int32_t output_offset, int32_t lo, int32_t hi) {
  int32_t v = mcunet_requantize(acc, multiplier, shift);
  if (shift <= -2) { /* |v| < 2^30: the sum cannot overflow */
    v += output_offset;
    return v < lo ? lo : (v > hi ? hi : v);
  }
  if (v < lo - output_offset) return lo;
  if (v > hi - output_offset) return hi;
  return v + output_offset;
}

/* The last step of every int8 layer. */
static inline int8_t mcunet_requantize_to_int8(int32_t acc, int32_t multiplier, int shift,
                                               int32_t output_offset, int32_t lo, int32_t hi) {
  return (int8_t)mcunet_requantize_clamped(acc, multiplier, shift, output_offset, lo, hi);
}

#endif /* MCUNET_FIXED_POINT_H_ */
