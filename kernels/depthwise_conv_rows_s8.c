/* DEPTHWISE_CONV_2D int8, depth multiplier 1, no dilation, one channel at a
 * time (TinyEngine's order): the channel's filter, bias and requantisation stay
 * in registers while its output plane is computed, instead of being reloaded
 * for every pixel.
 *
 * The scratch holds k_h padded rows of the channel (a ring: each input row is
 * copied once, when the first output row needs it). Padding is the input zero
 * point, so every window is whole: no clipping, and the input offset moves out
 * of the loop into the bias (sum w (x + off) = sum w x + off sum w, exact in
 * int32). The result is the reference kernel's, bit for bit.
 *
 * In place: output channel c is written only after the rows it reads of input
 * channel c are in the ring, and it never touches another channel's bytes when
 * the output starts a multiple of in_c bytes from the input; the compiler uses
 * this variant only then (or with separate buffers), and the pixel-order rule
 * of depthwise_conv_dm1_s8.c, which reads less eagerly, bounds the distance. */
#include <string.h>

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

/* Outputs accumulated before a requantisation pass (a stack array of int32). */
#define MCUNET_DW_ROWS_TILE 32

/* Window sums (without bias) of `n` outputs along one output row: filter taps
 * `w` (k_h x k_w), ring rows `rows`, from padded column x0. */
static void mcunet_dw_rows_sums(const int8_t* const* rows, const int16_t* w, int32_t k_h,
                                int32_t k_w, int32_t stride, int32_t x0, int32_t n, int32_t* acc) {
  for (int32_t i = 0; i < n; ++i) acc[i] = 0;
  for (int32_t ky = 0; ky < k_h; ++ky) {
    const int16_t* wr = w + ky * k_w;
    const int8_t* r = rows[ky] + x0;
    for (int32_t i = 0; i < n; ++i, r += stride) {
      int32_t sum = 0;
      for (int32_t kx = 0; kx < k_w; ++kx) sum += wr[kx] * r[kx];
      acc[i] += sum;
    }
  }
}

#ifdef MCUNET_SIMD32
/* The same for a 3 x 3 window with the dual 16-bit MACs, the three rows' sums
 * in registers. One word of a row (bytes b0..b3) widened twice gives
 * e = (b0, b2) and o = (b1, b3); with w02 = (w0, w2) and w1 in a half, the
 * output at x is e.w02 + o.lo w1 and (stride 1) the one at x + 1 is
 * o.w02 + e.hi w1. `w1_01` holds rows 0 and 1's middle taps, `w1_2` row 2's. */
static void mcunet_dw_rows_sums3x3(const int8_t* const* rows, const int32_t* w02, int32_t w1_01,
                                   int32_t w1_2, int32_t stride, int32_t x0, int32_t n,
                                   int32_t* acc) {
  const int8_t* r = rows[0] + x0;
  const int32_t d1 = (int32_t)(rows[1] - rows[0]), d2 = (int32_t)(rows[2] - rows[0]);
  const int32_t a0 = w02[0], a1 = w02[1], a2 = w02[2];
  int32_t* const end = acc + n;
  if (stride == 1) {
    for (; acc + 2 <= end; acc += 2, r += 2) {
      int32_t v = mcunet_load_i32(r), e = __sxtb16(v);
      v = mcunet_sxtb16_ror8(v);
      int32_t s0 = __smlabb(v, w1_01, __smuad(e, a0));
      int32_t s1 = __smlatb(e, w1_01, __smuad(v, a0));
      v = mcunet_load_i32(r + d1), e = __sxtb16(v);
      v = mcunet_sxtb16_ror8(v);
      s0 = __smlabt(v, w1_01, __smlad(e, a1, s0));
      s1 = __smlatt(e, w1_01, __smlad(v, a1, s1));
      v = mcunet_load_i32(r + d2), e = __sxtb16(v);
      v = mcunet_sxtb16_ror8(v);
      acc[0] = __smlabb(v, w1_2, __smlad(e, a2, s0));
      acc[1] = __smlatb(e, w1_2, __smlad(v, a2, s1));
    }
  }
  /* Stride 2, and stride 1's odd last output: one output per word. */
  for (; acc < end; ++acc, r += stride) {
    const int32_t v0 = mcunet_load_i32(r), v1 = mcunet_load_i32(r + d1);
    const int32_t v2 = mcunet_load_i32(r + d2);
    int32_t s = __smlabb(mcunet_sxtb16_ror8(v0), w1_01, __smuad(__sxtb16(v0), a0));
    s = __smlabt(mcunet_sxtb16_ror8(v1), w1_01, __smlad(__sxtb16(v1), a1, s));
    *acc = __smlabb(mcunet_sxtb16_ror8(v2), w1_2, __smlad(__sxtb16(v2), a2, s));
  }
}

/* The SIMD taps of one filter row 5 or 7 wide: a = (w0, w2), b = (w1, w3),
 * c = (w4, w6) (w6 = 0 when 5 wide), d = w5 in the low half. */
typedef struct {
  int32_t a, b, c, d;
} mcunet_dw_row_taps;

/* mcunet_dw_rows_sums for windows 5 or 7 wide (`wide`, a constant where it is
 * inlined), a row at a time. Two words of a row, bytes b0..b7, widened to
 * e0 = (b0, b2), o0 = (b1, b3), e1 = (b4, b6), o1 = (b5, b7): the output at x
 * is e0.a + o0.b + e1.c + o1.lo d, and (stride 1) the one at x + 1 is
 * o0.a + (b2, b4).b + o1.c + e1.hi d, with (b2, b4).b as two halfword MACs;
 * 5 wide, c's high tap and d are zero and left out. The reads go at most 7
 * bytes past a window's start, within the ring row's slack. */
static inline void mcunet_dw_rows_sums_wide(const int8_t* const* rows,
                                            const mcunet_dw_row_taps* taps, int32_t k_h, int wide,
                                            int32_t stride, int32_t x0, int32_t n, int32_t* acc) {
  for (int32_t i = 0; i < n; ++i) acc[i] = 0;
  int32_t* const end = acc + n;
  for (int32_t ky = 0; ky < k_h; ++ky) {
    const int32_t a = taps[ky].a, b = taps[ky].b, c = taps[ky].c, d = taps[ky].d;
    const int8_t* r = rows[ky] + x0;
    int32_t* o = acc;
    if (stride == 1) {
      for (; o + 2 <= end; o += 2, r += 2) {
        const int32_t v0 = mcunet_load_i32(r), v1 = mcunet_load_i32(r + 4);
        const int32_t e0 = __sxtb16(v0), o0 = mcunet_sxtb16_ror8(v0);
        const int32_t e1 = __sxtb16(v1), o1 = mcunet_sxtb16_ror8(v1);
        int32_t s0 = __smlad(o0, b, __smlad(e0, a, o[0]));
        int32_t s1 = __smlabt(e1, b, __smlatb(e0, b, __smlad(o0, a, o[1])));
        if (wide == 7) {
          s0 = __smlabb(o1, d, __smlad(e1, c, s0));
          s1 = __smlatb(e1, d, __smlad(o1, c, s1));
        } else {
          s0 = __smlabb(e1, c, s0);
          s1 = __smlabb(o1, c, s1);
        }
        o[0] = s0, o[1] = s1;
      }
    }
    /* Stride 2, and stride 1's odd last output: one output per two words. */
    for (; o < end; ++o, r += stride) {
      const int32_t v0 = mcunet_load_i32(r), v1 = mcunet_load_i32(r + 4);
      const int32_t e1 = __sxtb16(v1);
      int32_t s = __smlad(mcunet_sxtb16_ror8(v0), b, __smlad(__sxtb16(v0), a, *o));
      if (wide == 7) {
        s = __smlabb(mcunet_sxtb16_ror8(v1), d, __smlad(e1, c, s));
      } else {
        s = __smlabb(e1, c, s);
      }
      *o = s;
    }
  }
}
#endif

/* Ring row `dst` (from its first image column) gets image row `iy` of channel
 * `c`, or the padding value where iy is outside the image. */
static void mcunet_dw_ring_fill(int8_t* dst, int8_t pad, int32_t iy, int32_t in_h,
                                const int8_t* in_b, int32_t in_w, int32_t c_count, int32_t c,
                                int32_t copy_w) {
  if (iy < 0 || iy >= in_h) {
    memset(dst, pad, (size_t)copy_w);
    return;
  }
  const int8_t* src = in_b + (int64_t)iy * in_w * c_count + c;
  int32_t x = 0;
  for (; x + 4 <= copy_w; x += 4, src += 4 * c_count) {
    dst[x] = src[0];
    dst[x + 1] = src[c_count];
    dst[x + 2] = src[2 * c_count];
    dst[x + 3] = src[3 * c_count];
  }
  for (; x < copy_w; ++x, src += c_count) dst[x] = src[0];
}

/* What one channel's rows need, set once per channel. */
typedef struct {
  union { /* one or the other: the stack is part of the SRAM budget */
    int16_t w[MCUNET_DW_ROWS_MAX_K * MCUNET_DW_ROWS_MAX_K]; /* taps, k_h x k_w */
#ifdef MCUNET_SIMD32
    mcunet_dw_row_taps rows[MCUNET_DW_ROWS_MAX_K]; /* 5 or 7 wide, packed (SIMD) */
#endif
  } u;
  int32_t w02[3], w1_01, w1_2;                            /* 3 x 3 taps packed (SIMD) */
  int32_t base;                                           /* bias + input offset x sum of taps */
  int32_t mult, shift, e, round;
} mcunet_dw_channel;

/* Kept out of line: inlined into the channel loop, the loop's many live values
 * made the compiler spill around every row (measured on Cortex-M7). */
#if defined(__GNUC__)
#define MCUNET_DW_OUT_OF_LINE __attribute__((noinline))
#else
#define MCUNET_DW_OUT_OF_LINE
#endif

/* One output row of one channel: window sums in tiles, then requantisation
 * (outputs `c_count` bytes apart). */
static MCUNET_DW_OUT_OF_LINE void mcunet_dw_rows_output_row(const mcunet_conv_params* p,
                                                            const mcunet_dw_channel* ch,
                                                            const int8_t* const* rows,
                                                            int8_t* out) {
  const int32_t out_w = p->out_w, sw = p->stride_w, c_count = p->in_c;
  const int32_t out_offset = p->output_offset, lo = p->act_min, hi = p->act_max;
  const int32_t base = ch->base, mult = ch->mult, e = ch->e, round = ch->round;
  const int down = ch->shift <= -2;
#ifdef MCUNET_SIMD32
  const int simd3x3 = p->k_h == 3 && p->k_w == 3 && sw <= 2;
  const int full_range = lo == -128 && hi == 127;
#endif
  for (int32_t x0 = 0; x0 < out_w; x0 += MCUNET_DW_ROWS_TILE) {
    const int32_t n = out_w - x0 < MCUNET_DW_ROWS_TILE ? out_w - x0 : MCUNET_DW_ROWS_TILE;
    int32_t acc[MCUNET_DW_ROWS_TILE];
#ifdef MCUNET_SIMD32
    if (simd3x3) {
      mcunet_dw_rows_sums3x3(rows, ch->w02, ch->w1_01, ch->w1_2, sw, x0 * sw, n, acc);
    } else if (p->k_w == 7) {
      mcunet_dw_rows_sums_wide(rows, ch->u.rows, p->k_h, 7, sw, x0 * sw, n, acc);
    } else if (p->k_w == 5) {
      mcunet_dw_rows_sums_wide(rows, ch->u.rows, p->k_h, 5, sw, x0 * sw, n, acc);
    } else
#endif
    {
      mcunet_dw_rows_sums(rows, ch->u.w, p->k_h, p->k_w, sw, x0 * sw, n, acc);
    }
#ifdef MCUNET_SIMD32
    if (down && full_range && mult > 0) { /* |v| < 2^30: v + zero point cannot overflow */
      for (int32_t i = 0; i < n; ++i, out += c_count) {
        const int32_t v = mcunet_requantize_down_positive(acc[i] + base, mult, e, round);
        *out = (int8_t)__ssat(v + out_offset, 8);
      }
      continue;
    }
#endif
    if (down && mult > 0) {
      for (int32_t i = 0; i < n; ++i, out += c_count) {
        const int32_t v = mcunet_requantize_down_positive(acc[i] + base, mult, e, round);
        *out = (int8_t)(mcunet_clamp_i32(v, lo - out_offset, hi - out_offset) + out_offset);
      }
    } else if (down) {
      for (int32_t i = 0; i < n; ++i, out += c_count) {
        const int32_t v = mcunet_requantize_down_fast(acc[i] + base, mult, e);
        *out = (int8_t)(mcunet_clamp_i32(v, lo - out_offset, hi - out_offset) + out_offset);
      }
    } else {
      for (int32_t i = 0; i < n; ++i, out += c_count) {
        *out = mcunet_requantize_to_int8(acc[i] + base, mult, ch->shift, out_offset, lo, hi);
      }
    }
  }
}

static void mcunet_dw_channel_set(const mcunet_conv_params* p, const int8_t* filter,
                                  const int32_t* bias, int32_t c, mcunet_dw_channel* ch) {
  const int32_t taps = p->k_h * p->k_w;
  int32_t sum = 0;
  for (int32_t t = 0; t < taps; ++t) {
    ch->u.w[t] = filter[(int64_t)t * p->in_c + c];
    sum += ch->u.w[t];
  }
  if (p->k_h == 3 && p->k_w == 3) {
    const int16_t* w = ch->u.w;
    for (int32_t ky = 0; ky < 3; ++ky) {
      ch->w02[ky] = (int32_t)(((uint32_t)w[ky * 3 + 2] << 16) | (uint16_t)w[ky * 3]);
    }
    ch->w1_01 = (int32_t)(((uint32_t)w[4] << 16) | (uint16_t)w[1]);
    ch->w1_2 = w[7];
  }
#ifdef MCUNET_SIMD32
  /* Packed from the filter, over the unpacked taps, which these windows leave unread. */
  for (int32_t ky = 0; ky < p->k_h && (p->k_w == 5 || p->k_w == 7); ++ky) {
    const int8_t* w = filter + (int64_t)ky * p->k_w * p->in_c + c;
    const int32_t cc = p->in_c;
    const uint16_t w5 = p->k_w == 7 ? (uint16_t)w[5 * cc] : 0;
    const uint16_t w6 = p->k_w == 7 ? (uint16_t)w[6 * cc] : 0;
    mcunet_dw_row_taps* t = &ch->u.rows[ky];
    t->a = (int32_t)(((uint32_t)(uint16_t)w[2 * cc] << 16) | (uint16_t)w[0]);
    t->b = (int32_t)(((uint32_t)(uint16_t)w[3 * cc] << 16) | (uint16_t)w[cc]);
    t->c = (int32_t)(((uint32_t)w6 << 16) | (uint16_t)w[4 * cc]);
    t->d = w5;
  }
#endif
  ch->base = (bias ? bias[c] : 0) + p->input_offset * sum;
  ch->mult = p->multiplier[c], ch->shift = p->shift[c];
  ch->e = -ch->shift - 2;
  ch->round = ch->shift <= -2 ? 1 << ch->e : 0;
}

int mcunet_depthwise_conv2d_rows_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch) {
  const int32_t k_h = p->k_h, k_w = p->k_w;
  if (p->depth_multiplier != 1 || p->out_c != p->in_c || p->dilation_h != 1 || p->dilation_w != 1 ||
      k_h > MCUNET_DW_ROWS_MAX_K || k_w > MCUNET_DW_ROWS_MAX_K || scratch == NULL) {
    return MCUNET_BAD_PARAMS;
  }
  const int32_t c_count = p->in_c, in_h = p->in_h, in_w = p->in_w;
  const int32_t out_h = p->out_h, out_w = p->out_w, sh = p->stride_h;
  const int32_t ring_row = mcunet_dw_ring_row_bytes(p), pad_top = p->pad_top;
  const int32_t padded_w = (out_w - 1) * p->stride_w + k_w;
  /* Image columns that land in the padded row (SAME may pad nothing on the right
   * while VALID may leave columns unread). */
  const int32_t copy_w = in_w < padded_w - p->pad_left ? in_w : padded_w - p->pad_left;
  const int8_t pad = (int8_t)(-p->input_offset); /* the input zero point: x + offset = 0 */
  const int64_t in_plane = (int64_t)in_h * in_w * c_count;
  const int64_t out_plane = (int64_t)out_h * out_w * c_count;
  /* Pad columns stay as written here; rows are filled as the ring turns. */
  memset(scratch, pad, (size_t)(k_h * ring_row));
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in_b = input + b * in_plane;
    int8_t* out_b = output + b * out_plane;
    for (int32_t c = 0; c < c_count; ++c) {
      mcunet_dw_channel ch;
      mcunet_dw_channel_set(p, filter, bias, c, &ch);
      const int8_t* rows[MCUNET_DW_ROWS_MAX_K];
      int32_t loaded = 0; /* padded rows [0, loaded) have been through the ring */
      int8_t* out = out_b + c;
      for (int32_t oy = 0; oy < out_h; ++oy, out += (int64_t)out_w * c_count) {
        const int32_t top = oy * sh;
        if (loaded < top) loaded = top; /* rows a stride above k_h skips */
        for (; loaded < top + k_h; ++loaded) {
          mcunet_dw_ring_fill(scratch + (loaded % k_h) * ring_row + p->pad_left, pad,
                              loaded - pad_top, in_h, in_b, in_w, c_count, c, copy_w);
        }
        for (int32_t ky = 0, slot = top % k_h; ky < k_h; ++ky) {
          rows[ky] = scratch + slot * ring_row;
          if (++slot == k_h) slot = 0;
        }
        mcunet_dw_rows_output_row(p, &ch, rows, out);
      }
    }
  }
  return MCUNET_OK;
}
