/* QUANTIZE (float -> int8; int8 or int16 -> int8 or int16) and DEQUANTIZE
 * (int8 -> float) with TFLite's arithmetic: float division and round-half-away
 * for quantising; for requantising, (x - input zero point) scaled by the
 * multiplier and shift of the scale ratio, plus the output zero point, clamped
 * to the output type (TFLite's reference Requantize). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_no_fma.h"
#include "mcunet_round.h"
#include "mcunet_simd.h"

#if defined(MCUNET_SIMD32) && defined(__ARM_FP) && (__ARM_FP & 4) && defined(__GNUC__)
/* Cores with a single-precision FPU: the FPU's truncation (VCVT saturates and
 * sends NaN to 0, as mcunet_round_to_i32 does) and its inverse give the
 * fraction f, and truncating 2f (exact) gives the step away from zero: 1 for
 * f >= 1/2, -1 for f <= -1/2, else 0. Saturating adds keep the ends where they
 * are (a saturated truncation's "fraction" is huge and steps the same way).
 * 16 instructions an element instead of 42. */
static inline int32_t mcunet_vfp_truncate(float v) {
  float bits;
  int32_t t;
  __asm__("vcvt.s32.f32 %0, %1" : "=t"(bits) : "t"(v));
  __asm__("vmov %0, %1" : "=r"(t) : "t"(bits));
  return t;
}

int mcunet_quantize_f32_s8(const mcunet_affine_params* p, const float* input, int8_t* output) {
  const float scale = p->scale;
  const int32_t zero_point = p->zero_point, count = p->count; /* locals: stores may alias p */
  for (int32_t i = 0; i < count; ++i) {
    const float v = input[i] / scale;
    const int32_t t = mcunet_vfp_truncate(v);
    float whole;
    __asm__("vcvt.f32.s32 %0, %1" : "=t"(whole) : "t"(t));
    const float frac = v - whole;
    const int32_t rounded = __qadd(t, mcunet_vfp_truncate(frac + frac));
    output[i] = (int8_t)__ssat(__qadd(rounded, zero_point), 8);
  }
  return MCUNET_OK;
}
#else
int mcunet_quantize_f32_s8(const mcunet_affine_params* p, const float* input, int8_t* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    const int64_t q = (int64_t)mcunet_round_to_i32(input[i] / p->scale) + p->zero_point;
    output[i] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
  }
  return MCUNET_OK;
}
#endif

int mcunet_dequantize_s8_f32(const mcunet_affine_params* p, const int8_t* input, float* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
  }
  return MCUNET_OK;
}

int mcunet_requantize_s8(const mcunet_requantize_params* p, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = mcunet_requantize_to_int8((int32_t)input[i] + p->input_offset, p->multiplier,
                                          p->shift, p->output_offset, -128, 127);
  }
  return MCUNET_OK;
}

/* One value of a requantisation into [lo, hi]. */
static inline int32_t mcunet_requantize_value(const mcunet_requantize_params* p, int32_t x,
                                              int32_t lo, int32_t hi) {
  return mcunet_requantize_clamped(x + p->input_offset, p->multiplier, p->shift,
                                   p->output_offset, lo, hi);
}

int mcunet_requantize_s8_s16(const mcunet_requantize_params* p, const int8_t* input,
                             int16_t* output) {
  /* In place the output starts count bytes below the input, so element i's two
   * bytes end at or below input byte i + 1, the next one read. */
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = (int16_t)mcunet_requantize_value(p, input[i], -32768, 32767);
  }
  return MCUNET_OK;
}

int mcunet_requantize_s16_s8(const mcunet_requantize_params* p, const int16_t* input,
                             int8_t* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = (int8_t)mcunet_requantize_value(p, input[i], -128, 127);
  }
  return MCUNET_OK;
}

int mcunet_requantize_s16_s16(const mcunet_requantize_params* p, const int16_t* input,
                              int16_t* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = (int16_t)mcunet_requantize_value(p, input[i], -32768, 32767);
  }
  return MCUNET_OK;
}
