/* e^x and ln x in float arithmetic alone, for the float kernels: the generated
 * project links no libm, and libms differ in their last bits, so the host
 * runtime and every core compute the same bits only from one formula, with
 * no fused multiply-add (include mcunet_no_fma.h first). Within a few units in
 * the last place of the exact values (tests/kernels/softmax_f32_test.cc). */
#ifndef MCUNET_FLOAT_MATH_H_
#define MCUNET_FLOAT_MATH_H_

#include <stdint.h>
#include <string.h>

static inline float mcunet_float_from_bits(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

static inline uint32_t mcunet_float_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

/* x = n ln2 + r with |r| <= ln2 / 2 (ln2 in two parts, the first with enough
 * trailing zero bits that n times it is exact for every n used), e^r by its
 * Taylor polynomial to degree 7 (truncation below 2^-27), times 2^n through
 * the exponent bits in two steps so that n = 128 stays representable. Below
 * -87.33 (results under the smallest normal float) 0, above 88.72 infinity. */
static inline float mcunet_expf(float x) {
  if (x != x) return x; /* NaN */
  if (x > 88.7228394f) return mcunet_float_from_bits(0x7F800000u);
  if (x < -87.3365479f) return 0.0f;
  const int32_t n = (int32_t)(x * 1.44269502f + (x < 0 ? -0.5f : 0.5f));
  const float r = (x - (float)n * 0.693145751953125f) - (float)n * 1.42860682e-06f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t half = n / 2;
  p *= mcunet_float_from_bits((uint32_t)(half + 127) << 23);
  return p * mcunet_float_from_bits((uint32_t)(n - half + 127) << 23);
}

/* For x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m =
 * 2 atanh(s) with s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^11
 * (truncation below 2^-30), plus e ln2 in two parts (subnormal x scaled up
 * first). Infinity and NaN give themselves, 0 minus infinity, negatives NaN. */
static inline float mcunet_logf(float x) {
  if (x != x || x == mcunet_float_from_bits(0x7F800000u)) return x;
  if (x == 0.0f) return mcunet_float_from_bits(0xFF800000u);
  if (x < 0.0f) return mcunet_float_from_bits(0x7FC00000u);
  int32_t e = -127;
  if (x < 1.17549435e-38f) x *= 8388608.0f, e -= 23; /* subnormal: 2^23 x is normal */
  const uint32_t bits = mcunet_float_bits(x);
  e += (int32_t)(bits >> 23);
  float m = mcunet_float_from_bits((bits & 0x007FFFFFu) | 0x3F800000u);
  if (m > 1.41421354f) m *= 0.5f, e += 1;
  const float s = (m - 1.0f) / (m + 1.0f), z = s * s;
  float q = 1.0f / 11;
  q = q * z + 1.0f / 9;
  q = q * z + 1.0f / 7;
  q = q * z + 1.0f / 5;
  q = q * z + 1.0f / 3;
  q = q * z + 1.0f;
  const float ln_m = 2.0f * s * q;
  return (float)e * 0.693145751953125f + (ln_m + (float)e * 1.42860682e-06f);
}

#endif /* MCUNET_FLOAT_MATH_H_ */
