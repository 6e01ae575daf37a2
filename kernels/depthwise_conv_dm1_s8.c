/* DEPTHWISE_CONV_2D int8 with depth multiplier 1 and no dilation (any kernel
 * size, stride and padding): the window's rows and columns inside the image
 * are found once per output pixel instead of per tap and channel, then the
 * channels walk the taps with pointer steps: four at a time with the ARMv7E-M
 * SIMD instructions (SXTAB16 widens the even or odd bytes of a word to int16
 * and adds the input offset; SMLABB / SMLATT multiply-accumulate one half),
 * one at a time in portable C. Each channel's sum has the reference kernel's
 * terms, and int32 addition is exact: bit-exact, and the same in-place rule
 * (each output pixel is written while its window is read). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

#ifdef MCUNET_SIMD32
/* One tap for four channels into the caller's acc0..acc3 (offsets: the input
 * offset in both halves). Channels (0, 2) come from the even bytes, (1, 3) from
 * the odd ones. */
#define MCUNET_DW_TAP4(X, W)                                                            \
  do {                                                                                  \
    const int32_t xv = mcunet_load_i32(X), wv = mcunet_load_i32(W);                     \
    const int32_t x02 = __sxtab16(offsets, xv), x13 = mcunet_sxtab16_ror8(offsets, xv); \
    const int32_t w02 = __sxtb16(wv), w13 = mcunet_sxtb16_ror8(wv);                     \
    acc0 = __smlabb(x02, w02, acc0);                                                    \
    acc2 = __smlatt(x02, w02, acc2);                                                    \
    acc1 = __smlabb(x13, w13, acc1);                                                    \
    acc3 = __smlatt(x13, w13, acc3);                                                    \
  } while (0)

/* MCUNET_DW_TAP4 written out for one row of a 3-wide window (taps at x, x + cc
 * and x + 2 cc, the filter likewise, addressed by LDR's shifted register
 * offset): as C, the row's twelve live values made the compiler spill the
 * accumulators to the stack on every row. */
#define MCUNET_DW_ASM_TAP(ADDR_X, ADDR_W)      \
  "ldr %[xv], " ADDR_X "\n\t"                  \
  "ldr %[wv], " ADDR_W "\n\t"                  \
  "sxtab16 %[xe], %[offs], %[xv]\n\t"          \
  "sxtab16 %[xv], %[offs], %[xv], ror #8\n\t"  \
  "sxtb16 %[we], %[wv]\n\t"                    \
  "sxtb16 %[wv], %[wv], ror #8\n\t"            \
  "smlabb %[a0], %[xe], %[we], %[a0]\n\t"      \
  "smlatt %[a2], %[xe], %[we], %[a2]\n\t"      \
  "smlabb %[a1], %[xv], %[wv], %[a1]\n\t"      \
  "smlatt %[a3], %[xv], %[wv], %[a3]\n\t"

static inline void mcunet_dw_row3x4(const int8_t* x, const int8_t* w, int32_t cc, int32_t offsets,
                                    int32_t* a0, int32_t* a1, int32_t* a2, int32_t* a3) {
  int32_t xv, wv, xe, we;
  __asm__(MCUNET_DW_ASM_TAP("[%[x]]", "[%[w]]")
          MCUNET_DW_ASM_TAP("[%[x], %[cc]]", "[%[w], %[cc]]")
          MCUNET_DW_ASM_TAP("[%[x], %[cc], lsl #1]", "[%[w], %[cc], lsl #1]")
          : [a0] "+r"(*a0), [a1] "+r"(*a1), [a2] "+r"(*a2), [a3] "+r"(*a3), [xv] "=&r"(xv),
            [wv] "=&r"(wv), [xe] "=&r"(xe), [we] "=&r"(we)
          : [x] "r"(x), [w] "r"(w), [cc] "r"(cc), [offs] "r"(offsets)
          : "memory"); /* reads the window: an in-place output's stores stay before it */
}
#endif

/* Channels summed before any is requantised (a stack array of this many int32). */
#define MCUNET_DW_BLOCK 32

static inline int32_t mcunet_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mcunet_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/* The window of one output pixel clipped to the image: taps [ky_lo, ky_hi) x
 * [kx_lo, kx_hi), starting at `in` (input) and `w` (filter), channel 0. */
typedef struct {
  const int8_t* in;
  const int8_t* w;
  int32_t rows, cols;
} mcunet_dw_window;

int mcunet_depthwise_conv2d_dm1_s8(const mcunet_conv_params* p, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output,
                                   int8_t* scratch) {
  (void)scratch;
  if (p->depth_multiplier != 1 || p->out_c != p->in_c || p->dilation_h != 1 || p->dilation_w != 1) {
    return MCUNET_BAD_PARAMS;
  }
  /* Locals, not p->...: int8 stores could alias *p as far as the compiler knows. */
  const int32_t c_count = p->in_c, offset = p->input_offset;
  const int32_t out_offset = p->output_offset, lo = p->act_min, hi = p->act_max;
  const int32_t* const mult = p->multiplier;
  const int32_t* const shift = p->shift;
  const int32_t in_h = p->in_h, in_w = p->in_w, k_h = p->k_h, k_w = p->k_w;
  const int64_t row_step = (int64_t)in_w * c_count, w_row_step = (int64_t)k_w * c_count;
  /* Every shift <= -2 (the usual case): one short requantisation loop. */
  const int down = mcunet_all_shifts_down(shift, c_count);
#ifdef MCUNET_SIMD32
  const int full_range = lo == -128 && hi == 127; /* then SSAT is the clamp */
#endif
#ifdef MCUNET_SIMD32
  const int32_t offsets = mcunet_dup16(offset);
#endif
  int8_t* out = output;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in_b = input + (int64_t)b * in_h * row_step;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      const int32_t y0 = oy * p->stride_h - p->pad_top;
      const int32_t ky_lo = mcunet_max_i32(0, -y0), ky_hi = mcunet_min_i32(k_h, in_h - y0);
      for (int32_t ox = 0; ox < p->out_w; ++ox, out += c_count) {
        const int32_t x0 = ox * p->stride_w - p->pad_left;
        const int32_t kx_lo = mcunet_max_i32(0, -x0), kx_hi = mcunet_min_i32(k_w, in_w - x0);
        mcunet_dw_window win = {in_b, filter, ky_hi - ky_lo, kx_hi - kx_lo};
        /* A window wholly in the padding reads nothing (its sums are the bias). */
        if (win.rows <= 0 || win.cols <= 0) {
          win.rows = win.cols = 0;
        } else {
          win.in = in_b + (y0 + ky_lo) * row_step + (int64_t)(x0 + kx_lo) * c_count;
          win.w = filter + ((int64_t)ky_lo * k_w + kx_lo) * c_count;
        }
        const int64_t x_skip = row_step - (int64_t)win.cols * c_count;
        const int64_t w_skip = w_row_step - (int64_t)win.cols * c_count;
        /* Channels in blocks: first every sum of the block, then every
         * requantisation, so that neither loop holds the other's state in
         * registers. */
        for (int32_t c0 = 0; c0 < c_count; c0 += MCUNET_DW_BLOCK) {
          const int32_t c_end = mcunet_min_i32(c_count, c0 + MCUNET_DW_BLOCK);
          int32_t acc[MCUNET_DW_BLOCK];
          int32_t c = c0;
#ifdef MCUNET_SIMD32
          for (; c + 4 <= c_end; c += 4) {
            int32_t acc0 = bias ? bias[c] : 0, acc1 = bias ? bias[c + 1] : 0;
            int32_t acc2 = bias ? bias[c + 2] : 0, acc3 = bias ? bias[c + 3] : 0;
            const int8_t* x = win.in + c;
            const int8_t* w = win.w + c;
            if (win.cols == 3) { /* the common 3-wide window, unrolled */
              for (int32_t r = 0; r < win.rows; ++r, x += row_step, w += w_row_step) {
                mcunet_dw_row3x4(x, w, c_count, offsets, &acc0, &acc1, &acc2, &acc3);
              }
            } else {
              for (int32_t r = 0; r < win.rows; ++r, x += x_skip, w += w_skip) {
                for (int32_t k = 0; k < win.cols; ++k, x += c_count, w += c_count) {
                  MCUNET_DW_TAP4(x, w);
                }
              }
            }
            int32_t* a = acc + (c - c0);
            a[0] = acc0, a[1] = acc1, a[2] = acc2, a[3] = acc3;
          }
#endif
          for (; c < c_end; ++c) {
            int32_t sum = bias ? bias[c] : 0;
            const int8_t* x = win.in + c;
            const int8_t* w = win.w + c;
            for (int32_t r = 0; r < win.rows; ++r, x += x_skip, w += w_skip) {
              for (int32_t k = 0; k < win.cols; ++k, x += c_count, w += c_count) {
                sum += w[0] * (x[0] + offset);
              }
            }
            acc[c - c0] = sum;
          }
#ifdef MCUNET_SIMD32
          if (down && full_range) { /* |v| < 2^30: v + zero point cannot overflow */
            for (c = c0; c < c_end; ++c) {
              const int32_t v = mcunet_requantize_down_fast(acc[c - c0], mult[c], -shift[c] - 2);
              out[c] = (int8_t)__ssat(v + out_offset, 8);
            }
          } else
#endif
              if (down) {
            for (c = c0; c < c_end; ++c) {
              const int32_t v = mcunet_requantize_down_fast(acc[c - c0], mult[c], -shift[c] - 2);
              out[c] = (int8_t)(mcunet_clamp_i32(v, lo - out_offset, hi - out_offset) + out_offset);
            }
          } else {
            for (c = c0; c < c_end; ++c) {
              out[c] =
                  mcunet_requantize_to_int8(acc[c - c0], mult[c], shift[c], out_offset, lo, hi);
            }
          }
        }
      }
    }
  }
  return MCUNET_OK;
}
