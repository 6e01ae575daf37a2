/* The TRANSPOSE_CONV loop, written once for the int8 kernel and its 16x8 twin.
 * Input pixel (iy, ix) scatters its window onto output
 * (iy * stride - pad + ky, ix * stride - pad + kx); written here as a gather:
 * each output pixel sums, over the taps (ky, kx) that land on it from a whole
 * input pixel, (input + input offset) x filter[oc][ky][kx][ic], then adds the
 * bias and stores STORE(acc, oc). Integer sums do not depend on their order, so
 * these are TF Lite Micro's scatter sums without its output-sized scratch
 * buffer (int32, or int64 for 16x8). IN_T / OUT_T the activations, ACC_T the
 * sum; p, input, filter, bias and output in scope. An output pixel is written
 * after its inputs are read, but from many input pixels: no in-place. */
#ifndef MCUNET_TRANSPOSE_CONV_H_
#define MCUNET_TRANSPOSE_CONV_H_

#include <stdint.h>

/* Output row oy takes the taps ky = ky0, ky0 + stride_h, ... with ky0 =
 * (oy + pad_top) mod stride_h, from input rows iy0, iy0 - 1, ...: one division
 * per output row and column, none per tap. */
#define MCUNET_TRANSPOSE_CONV_GATHER(IN_T, OUT_T, ACC_T, STORE)                                 \
  const int32_t in_c = p->in_c, out_c = p->out_c, offset = p->input_offset;                     \
  if (p->stride_h <= 0 || p->stride_w <= 0 || p->pad_top < 0 || p->pad_left < 0) {              \
    return MCUNET_BAD_PARAMS;                                                                   \
  }                                                                                             \
  for (int32_t b = 0; b < p->batches; ++b) {                                                    \
    const IN_T* image = input + (int64_t)b * p->in_h * p->in_w * in_c;                          \
    for (int32_t oy = 0; oy < p->out_h; ++oy) {                                                 \
      const int32_t ky0 = (oy + p->pad_top) % p->stride_h;                                      \
      const int32_t iy0 = (oy + p->pad_top) / p->stride_h;                                      \
      for (int32_t ox = 0; ox < p->out_w; ++ox) {                                               \
        const int32_t kx0 = (ox + p->pad_left) % p->stride_w;                                   \
        const int32_t ix0 = (ox + p->pad_left) / p->stride_w;                                   \
        for (int32_t oc = 0; oc < out_c; ++oc) {                                                \
          ACC_T acc = 0;                                                                        \
          for (int32_t ky = ky0, iy = iy0; ky < p->k_h && iy >= 0; ky += p->stride_h, --iy) {   \
            if (iy >= p->in_h) continue;                                                        \
            for (int32_t kx = kx0, ix = ix0; kx < p->k_w && ix >= 0; kx += p->stride_w, --ix) { \
              if (ix >= p->in_w) continue;                                                      \
              const IN_T* x = image + ((int64_t)iy * p->in_w + ix) * in_c;                      \
              const int8_t* w = filter + (((int64_t)oc * p->k_h + ky) * p->k_w + kx) * in_c;    \
              /* |w| <= 128, |x + offset| <= 65535: each product fits in int32. */              \
              for (int32_t ic = 0; ic < in_c; ++ic) {                                           \
                acc += ((int32_t)x[ic] + offset) * (int32_t)w[ic];                              \
              }                                                                                 \
            }                                                                                   \
          }                                                                                     \
          if (bias) acc += bias[oc];                                                            \
          *output++ = STORE(acc, oc);                                                           \
        }                                                                                       \
      }                                                                                         \
    }                                                                                           \
  }                                                                                             \
  return MCUNET_OK;

#endif /* MCUNET_TRANSPOSE_CONV_H_ */
