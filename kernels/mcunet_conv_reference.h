/* The reference loops of CONV_2D and DEPTHWISE_CONV_2D (any stride, dilation,
 * padding, group count or depth multiplier), written once for the int8 kernels
 * and their 16x8 twins: IN_T / OUT_T the activations, ACC_T the sum (int32, or
 * int64 beside an int64 bias), STORE(acc, oc) the requantised output of
 * channel oc. They expect p, input, filter, bias and output in scope. Padded
 * taps are skipped: they would add (zero point + input offset) x w = 0.
 * Order: output pixels in (batch, y, x) order, each written after its whole
 * window is read, all channels of the pixel at once (the op's in-place rule). */
#ifndef MCUNET_CONV_REFERENCE_H_
#define MCUNET_CONV_REFERENCE_H_

#include <stdint.h>

#include "mcunet_fixed_point.h"

/* Output pixel (b, oy, ox) with its window's corner (in_y0, in_x0), then the body. */
#define MCUNET_FOR_EACH_OUTPUT_PIXEL(IN_T, OUT_T, ...)                                      \
  for (int32_t b = 0; b < p->batches; ++b) {                                                \
    const IN_T* in_b = input + (int64_t)b * p->in_h * p->in_w * p->in_c;                    \
    for (int32_t oy = 0; oy < p->out_h; ++oy) {                                             \
      const int32_t in_y0 = oy * p->stride_h - p->pad_top;                                  \
      for (int32_t ox = 0; ox < p->out_w; ++ox) {                                           \
        const int32_t in_x0 = ox * p->stride_w - p->pad_left;                               \
        OUT_T* out_px = output + (((int64_t)b * p->out_h + oy) * p->out_w + ox) * p->out_c; \
        __VA_ARGS__                                                                         \
      }                                                                                     \
    }                                                                                       \
  }

/* Each in-image tap (iy, ix) of the window at (in_y0, in_x0), then the body. */
#define MCUNET_FOR_EACH_TAP(...)                     \
  for (int32_t ky = 0; ky < p->k_h; ++ky) {          \
    const int32_t iy = in_y0 + ky * p->dilation_h;   \
    if (iy < 0 || iy >= p->in_h) continue;           \
    for (int32_t kx = 0; kx < p->k_w; ++kx) {        \
      const int32_t ix = in_x0 + kx * p->dilation_w; \
      if (ix < 0 || ix >= p->in_w) continue;         \
      __VA_ARGS__                                    \
    }                                                \
  }

/* The STORE of the int8 kernels and of the 16x8 ones. */
#define MCUNET_STORE_S8(acc, oc)                                                                \
  mcunet_requantize_to_int8(acc, p->multiplier[oc], p->shift[oc], p->output_offset, p->act_min, \
                            p->act_max)
#define MCUNET_STORE_S16(acc, oc)                                                        \
  mcunet_requantize_s64_to_int16(acc, p->multiplier[oc], p->shift[oc], p->output_offset, \
                                 p->act_min, p->act_max)

/* CONV_2D: filter [out_c, k_h, k_w, filter_in_c], in_c / filter_in_c groups. */
#define MCUNET_CONV_REFERENCE(IN_T, OUT_T, ACC_T, STORE)                              \
  if (p->filter_in_c <= 0 || p->in_c % p->filter_in_c != 0) return MCUNET_BAD_PARAMS; \
  const int32_t groups = p->in_c / p->filter_in_c;                                    \
  if (p->out_c % groups != 0) return MCUNET_BAD_PARAMS;                               \
  const int32_t filters_per_group = p->out_c / groups;                                \
  MCUNET_FOR_EACH_OUTPUT_PIXEL(IN_T, OUT_T, {                                         \
    for (int32_t oc = 0; oc < p->out_c; ++oc) {                                       \
      const IN_T* in_group = in_b + (oc / filters_per_group) * p->filter_in_c;        \
      const int8_t* w_oc = filter + (int64_t)oc * p->k_h * p->k_w * p->filter_in_c;   \
      ACC_T acc = 0;                                                                  \
      MCUNET_FOR_EACH_TAP({                                                           \
        const IN_T* in_px = in_group + ((int64_t)iy * p->in_w + ix) * p->in_c;        \
        const int8_t* w = w_oc + ((int64_t)ky * p->k_w + kx) * p->filter_in_c;        \
        /* |w| <= 128, |x + offset| <= 65535: each product fits in int32. */          \
        for (int32_t ic = 0; ic < p->filter_in_c; ++ic) {                             \
          acc += (int32_t)w[ic] * ((int32_t)in_px[ic] + p->input_offset);             \
        }                                                                             \
      })                                                                              \
      if (bias) acc += bias[oc];                                                      \
      out_px[oc] = STORE(acc, oc);                                                    \
    }                                                                                 \
  })                                                                                  \
  return MCUNET_OK;

/* DEPTHWISE_CONV_2D: filter [1, k_h, k_w, out_c], out_c = in_c x depth_multiplier,
 * output channel oc = ic x depth_multiplier + m. */
#define MCUNET_DEPTHWISE_REFERENCE(IN_T, OUT_T, ACC_T, STORE)                  \
  if (p->out_c != p->in_c * p->depth_multiplier) return MCUNET_BAD_PARAMS;     \
  MCUNET_FOR_EACH_OUTPUT_PIXEL(IN_T, OUT_T, {                                  \
    for (int32_t oc = 0; oc < p->out_c; ++oc) {                                \
      const int32_t ic = oc / p->depth_multiplier;                             \
      ACC_T acc = 0;                                                           \
      MCUNET_FOR_EACH_TAP({                                                    \
        const int32_t x = in_b[((int64_t)iy * p->in_w + ix) * p->in_c + ic];   \
        const int32_t w = filter[((int64_t)ky * p->k_w + kx) * p->out_c + oc]; \
        acc += w * (x + p->input_offset);                                      \
      })                                                                       \
      if (bias) acc += bias[oc];                                               \
      out_px[oc] = STORE(acc, oc);                                             \
    }                                                                          \
  })                                                                           \
  return MCUNET_OK;

#endif /* MCUNET_CONV_REFERENCE_H_ */
