/* DEPTHWISE_CONV_2D 16x8 (TFLite's scheme for int16 activations): int16 input
 * and output, int8 per-channel weights, optional int64 bias; any depth
 * multiplier, stride, dilation and padding. Output channel oc = ic *
 * depth_multiplier + m. The loops of kernels/depthwise_conv_s8.c with an int64
 * sum and TFLite's int64 requantisation (mcunet_requantize_s64).
 * Order: output pixels in (batch, y, x) order, each written after its whole
 * window is read, all channels of the pixel at once. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_depthwise_conv2d_s16(const mcunet_conv_params* p, const int16_t* input,
                                const int8_t* filter, const int64_t* bias, int16_t* output) {
  if (p->out_c != p->in_c * p->depth_multiplier) return MCUNET_BAD_PARAMS;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int16_t* in_b = input + (int64_t)b * p->in_h * p->in_w * p->in_c;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_top;
      for (int32_t ox = 0; ox < p->out_w; ++ox) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_left;
        int16_t* out_px = output + (((int64_t)b * p->out_h + oy) * p->out_w + ox) * p->out_c;
        for (int32_t oc = 0; oc < p->out_c; ++oc) {
          const int32_t ic = oc / p->depth_multiplier;
          int64_t acc = 0;
          for (int32_t ky = 0; ky < p->k_h; ++ky) {
            const int32_t iy = in_y0 + ky * p->dilation_h;
            if (iy < 0 || iy >= p->in_h) continue;
            for (int32_t kx = 0; kx < p->k_w; ++kx) {
              const int32_t ix = in_x0 + kx * p->dilation_w;
              if (ix < 0 || ix >= p->in_w) continue;
              const int32_t x = in_b[((int64_t)iy * p->in_w + ix) * p->in_c + ic];
              const int32_t w = filter[((int64_t)ky * p->k_w + kx) * p->out_c + oc];
              acc += w * (x + p->input_offset);
            }
          }
          if (bias) acc += bias[oc];
          const int32_t v = mcunet_requantize_s64(acc, p->multiplier[oc], p->shift[oc]);
          out_px[oc] = (int16_t)(mcunet_clamp_i32(v, p->act_min - p->output_offset,
                                                  p->act_max - p->output_offset) +
                                 p->output_offset);
        }
      }
    }
  }
  return MCUNET_OK;
}
