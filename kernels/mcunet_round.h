/* Float rounding without libm: round half away from zero (C's roundf), then
 * saturate to int32, the way TFLite's float-to-int8 paths round. */
#ifndef MCUNET_ROUND_H_
#define MCUNET_ROUND_H_

#include <stdint.h>

static inline int32_t mcunet_round_to_i32(float v) {
  if (!(v == v)) return 0; /* NaN */
  if (v >= 2147483520.0f) return INT32_MAX;
  if (v <= -2147483648.0f) return INT32_MIN;
  int32_t t = (int32_t)v;    /* truncates toward zero */
  float frac = v - (float)t; /* exact: |v| < 2^31 and t shares v's integer part */
  if (frac >= 0.5f) return t + 1;
  if (frac <= -0.5f) return t - 1;
  return t;
}

#endif /* MCUNET_ROUND_H_ */
