/* DEPTHWISE_CONV_2D int8 with depth multiplier 1 and no dilation (any kernel
 * size, stride and padding): the window's rows and columns inside the image
 * are found once per output pixel instead of per tap and channel, then two
 * channels at a time walk the taps with pointer steps. The same sums in the
 * same pixel order as the reference kernel: bit-exact, and the same in-place
 * rule (each output pixel is written while its window is read). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static inline int32_t mcunet_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mcunet_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

int mcunet_depthwise_conv2d_dm1_s8(const mcunet_conv_params* p, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output) {
  if (p->depth_multiplier != 1 || p->out_c != p->in_c || p->dilation_h != 1 ||
      p->dilation_w != 1) {
    return MCUNET_BAD_PARAMS;
  }
  const int32_t c_count = p->in_c, offset = p->input_offset;
  const int64_t row_step = (int64_t)p->in_w * c_count, w_row_step = (int64_t)p->k_w * c_count;
  int8_t* out = output;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in_b = input + (int64_t)b * p->in_h * row_step;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      const int32_t y0 = oy * p->stride_h - p->pad_top;
      const int32_t ky_lo = mcunet_max_i32(0, -y0), ky_hi = mcunet_min_i32(p->k_h, p->in_h - y0);
      for (int32_t ox = 0; ox < p->out_w; ++ox, out += c_count) {
        const int32_t x0 = ox * p->stride_w - p->pad_left;
        const int32_t kx_lo = mcunet_max_i32(0, -x0), kx_hi = mcunet_min_i32(p->k_w, p->in_w - x0);
        /* A window wholly in the padding reads nothing (its sums are the bias). */
        const int empty = ky_lo >= ky_hi || kx_lo >= kx_hi;
        const int8_t* in_win =
            empty ? in_b : in_b + (y0 + ky_lo) * row_step + (int64_t)(x0 + kx_lo) * c_count;
        const int8_t* w_win = empty ? filter : filter + ((int64_t)ky_lo * p->k_w + kx_lo) * c_count;
        for (int32_t c = 0; c < c_count; c += 2) {
          const int pair = c + 1 < c_count;
          int32_t acc0 = bias ? bias[c] : 0, acc1 = bias && pair ? bias[c + 1] : 0;
          const int8_t* x_row = in_win + c;
          const int8_t* w_row = w_win + c;
          for (int32_t ky = ky_lo; ky < ky_hi; ++ky, x_row += row_step, w_row += w_row_step) {
            const int8_t* x = x_row;
            const int8_t* w = w_row;
            for (int32_t kx = kx_lo; kx < kx_hi; ++kx, x += c_count, w += c_count) {
              acc0 += w[0] * (x[0] + offset);
              if (pair) acc1 += w[1] * (x[1] + offset);
            }
          }
          out[c] = mcunet_requantize_to_int8(acc0, p->multiplier[c], p->shift[c], p->output_offset,
                                             p->act_min, p->act_max);
          if (pair) {
            out[c + 1] = mcunet_requantize_to_int8(acc1, p->multiplier[c + 1], p->shift[c + 1],
                                                   p->output_offset, p->act_min, p->act_max);
          }
        }
      }
    }
  }
  return MCUNET_OK;
}
