/* TRANSPOSE_CONV int8: input pixel (iy, ix) scatters its window onto output
 * (iy * stride - pad + ky, ix * stride - pad + kx). Written as a gather: each
 * output pixel sums, over the taps (ky, kx) that land on it from a whole input
 * pixel, (input + input offset) x filter[oc][ky][kx][ic], then adds the bias and
 * requantises per channel. The same int32 sums as TF Lite Micro's scatter
 * buffer, without the buffer. Output written after its inputs are read, but
 * from many input pixels: no in-place. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_transpose_conv_s8(const mcunet_transpose_conv_params* p, const int8_t* input,
                             const int8_t* filter, const int32_t* bias, int8_t* output) {
  const int32_t in_c = p->in_c, out_c = p->out_c, offset = p->input_offset;
  if (p->stride_h <= 0 || p->stride_w <= 0) return MCUNET_BAD_PARAMS;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* image = input + (int64_t)b * p->in_h * p->in_w * in_c;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      for (int32_t ox = 0; ox < p->out_w; ++ox) {
        for (int32_t oc = 0; oc < out_c; ++oc) {
          int32_t acc = 0;
          for (int32_t ky = 0; ky < p->k_h; ++ky) {
            const int32_t ty = oy + p->pad_top - ky; /* = iy * stride_h */
            if (ty < 0 || ty % p->stride_h != 0 || ty / p->stride_h >= p->in_h) continue;
            const int32_t iy = ty / p->stride_h;
            for (int32_t kx = 0; kx < p->k_w; ++kx) {
              const int32_t tx = ox + p->pad_left - kx;
              if (tx < 0 || tx % p->stride_w != 0 || tx / p->stride_w >= p->in_w) continue;
              const int8_t* x = image + ((int64_t)iy * p->in_w + tx / p->stride_w) * in_c;
              const int8_t* w = filter + (((int64_t)oc * p->k_h + ky) * p->k_w + kx) * in_c;
              for (int32_t ic = 0; ic < in_c; ++ic) acc += (x[ic] + offset) * w[ic];
            }
          }
          if (bias) acc += bias[oc];
          *output++ = mcunet_requantize_to_int8(acc, p->multiplier[oc], p->shift[oc],
                                                p->output_offset, p->act_min, p->act_max);
        }
      }
    }
  }
  return MCUNET_OK;
}
