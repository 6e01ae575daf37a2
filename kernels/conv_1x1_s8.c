/* CONV_2D int8, 1x1 filter, stride 1, one group: a matrix product over pixels,
 * blocked over two pixels x two output channels so that each loaded input and
 * weight feeds two multiply-accumulates. With the ARMv7E-M SIMD instructions, four
 * channels at a time: SXTAB16 widens two input bytes to int16 and adds the
 * input offset in one instruction, SMLAD does two multiply-accumulates. The
 * int32 sums are exact, so the result is the reference kernel's, bit for bit.
 *
 * In-place: a block reads its two input pixels while it writes their outputs;
 * the op's in-place rule (ops/conv_2d.cc) counts the block as one step. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
#define MCUNET_SIMD32 1
#include <arm_acle.h>
#include <string.h>

static inline int32_t mcunet_load_i32(const int8_t* p) {
  int32_t v;
  memcpy(&v, p, 4); /* unaligned-safe; one LDR on cores that allow it */
  return v;
}
static inline int32_t mcunet_ror8(int32_t x) {
  return (int32_t)(((uint32_t)x >> 8) | ((uint32_t)x << 24));
}
#endif

/* Sums of filter rows w0, w1 against pixels a0, a1 (the input offset added to
 * every input value): s[0] = w0.a0, s[1] = w0.a1, s[2] = w1.a0, s[3] = w1.a1. */
static void mcunet_dot_2x2(const int8_t* a0, const int8_t* a1, const int8_t* w0,
                           const int8_t* w1, int32_t n, int32_t offset, int32_t s[4]) {
  int32_t s00 = s[0], s01 = s[1], s10 = s[2], s11 = s[3];
  int32_t i = 0;
#ifdef MCUNET_SIMD32
  const int32_t offsets = (int32_t)((uint32_t)(offset & 0xFFFF) * 0x00010001u);
  for (; i + 4 <= n; i += 4) {
    const int32_t x0 = mcunet_load_i32(a0 + i), x1 = mcunet_load_i32(a1 + i);
    const int32_t k0 = mcunet_load_i32(w0 + i), k1 = mcunet_load_i32(w1 + i);
    /* Even bytes (0, 2) and odd bytes (1, 3), widened to int16 pairs. */
    const int32_t x0e = __sxtab16(offsets, x0), x0o = __sxtab16(offsets, mcunet_ror8(x0));
    const int32_t x1e = __sxtab16(offsets, x1), x1o = __sxtab16(offsets, mcunet_ror8(x1));
    const int32_t k0e = __sxtb16(k0), k0o = __sxtb16(mcunet_ror8(k0));
    const int32_t k1e = __sxtb16(k1), k1o = __sxtb16(mcunet_ror8(k1));
    s00 = __smlad(k0e, x0e, __smlad(k0o, x0o, s00));
    s01 = __smlad(k0e, x1e, __smlad(k0o, x1o, s01));
    s10 = __smlad(k1e, x0e, __smlad(k1o, x0o, s10));
    s11 = __smlad(k1e, x1e, __smlad(k1o, x1o, s11));
  }
#endif
  for (; i < n; ++i) {
    const int32_t x0 = a0[i] + offset, x1 = a1[i] + offset, k0 = w0[i], k1 = w1[i];
    s00 += k0 * x0;
    s01 += k0 * x1;
    s10 += k1 * x0;
    s11 += k1 * x1;
  }
  s[0] = s00, s[1] = s01, s[2] = s10, s[3] = s11;
}

int mcunet_conv1x1_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                      const int32_t* bias, int8_t* output) {
  if (p->k_h != 1 || p->k_w != 1 || p->stride_h != 1 || p->stride_w != 1 ||
      p->filter_in_c != p->in_c || p->out_h != p->in_h || p->out_w != p->in_w) {
    return MCUNET_BAD_PARAMS;
  }
  const int32_t n = p->in_c, out_c = p->out_c;
  const int32_t pixels = p->batches * p->out_h * p->out_w;
  for (int32_t px = 0; px < pixels; px += 2) {
    /* The last pixel of an odd count pairs with itself; only one is written. */
    const int two = px + 1 < pixels;
    const int8_t* a0 = input + (int64_t)px * n;
    const int8_t* a1 = two ? a0 + n : a0;
    int8_t* o0 = output + (int64_t)px * out_c;
    int8_t* o1 = o0 + out_c;
    for (int32_t oc = 0; oc < out_c; oc += 2) {
      const int pair = oc + 1 < out_c;
      const int8_t* w0 = filter + (int64_t)oc * n;
      const int8_t* w1 = pair ? w0 + n : w0;
      const int32_t b0 = bias ? bias[oc] : 0, b1 = bias && pair ? bias[oc + 1] : b0;
      int32_t s[4] = {b0, b0, b1, b1};
      mcunet_dot_2x2(a0, a1, w0, w1, n, p->input_offset, s);
      o0[oc] = mcunet_requantize_to_int8(s[0], p->multiplier[oc], p->shift[oc], p->output_offset,
                                         p->act_min, p->act_max);
      if (two) {
        o1[oc] = mcunet_requantize_to_int8(s[1], p->multiplier[oc], p->shift[oc],
                                           p->output_offset, p->act_min, p->act_max);
      }
      if (pair) {
        o0[oc + 1] = mcunet_requantize_to_int8(s[2], p->multiplier[oc + 1], p->shift[oc + 1],
                                               p->output_offset, p->act_min, p->act_max);
        if (two) {
          o1[oc + 1] = mcunet_requantize_to_int8(s[3], p->multiplier[oc + 1], p->shift[oc + 1],
                                                 p->output_offset, p->act_min, p->act_max);
        }
      }
    }
  }
  return MCUNET_OK;
}
