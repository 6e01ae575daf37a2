/* L2_NORMALIZATION int8 over the last axis, as TF Lite Micro: per row the sum of
 * squared offsets, its inverse square root as a multiplier and shift
 * (gemmlowp's fixed-point Newton iteration), then each value rescaled to the
 * output's fixed 1/128 scale. No epsilon on the int8 path; a zero row gives 0. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static int32_t mcunet_clz32(uint32_t x) {
  int32_t n = 0;
  if (x == 0) return 32;
  while (!(x & 0x80000000u)) x <<= 1, ++n;
  return n;
}

/* 1/sqrt(v) as (multiplier, left shift <= 0) (TFLite's
 * GetInvSqrtQuantizedMultiplierExp with reverse_shift -1). Q3.28 fixed point:
 * x = 1.5 x - (v/2) x^3, five times from 1, then x sqrt(2)/2. */
static void mcunet_inv_sqrt(int32_t v, int32_t* multiplier, int32_t* shift) {
  if (v <= 1) {
    *multiplier = INT32_MAX, *shift = 0;
    return;
  }
  int32_t sh = 11;
  while (v >= (1 << 29)) v /= 4, ++sh;
  const int32_t pairs = (mcunet_clz32((uint32_t)v) - 1) / 2 - 1;
  sh -= pairs;
  v = (int32_t)((uint32_t)v << (2 * pairs));
  const int32_t half = mcunet_rounding_divide_by_pot(v >> 1, 1);
  int32_t x = 1 << 28;
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = mcunet_saturating_shift_left(mcunet_srdhm(mcunet_srdhm(x, x), x), 6);
    x = mcunet_saturating_shift_left(mcunet_srdhm(402653184, x) - mcunet_srdhm(half, x3), 3);
  }
  x = mcunet_srdhm(x, 1518500250);
  if (sh < 0) {
    x = (int32_t)((uint32_t)x << -sh);
    sh = 0;
  }
  *multiplier = x, *shift = -sh;
}

int mcunet_l2norm_s8(const mcunet_l2norm_params* p, const int8_t* input, int8_t* output) {
  const int32_t depth = p->depth, zp = p->input_zero_point;
  for (int32_t r = 0; r < p->rows; ++r, input += depth, output += depth) {
    int32_t acc = 0;
    for (int32_t i = 0; i < depth; ++i) {
      const int32_t d = input[i] - zp;
      acc += d * d;
    }
    int32_t m, s;
    mcunet_inv_sqrt(acc, &m, &s);
    for (int32_t i = 0; i < depth; ++i) {
      const int32_t v = mcunet_requantize(input[i] - zp, m, s + 7); /* x 128: the 1/128 scale */
      output[i] = (int8_t)mcunet_clamp_i32(v, -128, 127);
    }
  }
  return MCUNET_OK;
}
