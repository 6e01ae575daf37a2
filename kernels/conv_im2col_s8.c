/* CONV_2D int8, any filter size, stride and padding, one group, no dilation:
 * the windows of output pixels are gathered into a scratch buffer (int8,
 * padded taps set to the input zero point, so that they add
 * (zero_point + input_offset) * w = 0 as in the reference kernel), then each
 * pair of output channels is a blocked dot product over the windows
 * (mcunet_dot.h). The int32 sums are exact: bit-exact with the reference.
 *
 * With SIMD and in_c a multiple of 4, the windows are instead widened
 * straight from the image to int16, once for all output channels: three at a
 * time when the filter rows are interleaved in pairs (p->filter_pairs) and the
 * layer takes the short requantisation, else (and for the last one or two
 * pixels) two.
 *
 * Otherwise (first layers, 1 to 3 channels) the windows are gathered (with
 * SIMD, widened as they are: a byte load per value through a table of their
 * offsets, int8 copies only for windows that reach into the padding), padded
 * to n4 = n rounded up to 4 with taps that add nothing; the filter rows are
 * copied padded with zeros to n4 and interleaved in pairs (when n4 > n), so
 * that every block runs whole groups.
 *
 * Scratch (part of the memory plan), with n = k_h x k_w x in_c: with p->widen,
 * 6n bytes when in_c is a multiple of 4 (the widened windows), else
 * 11 x n4 (an int8 window for those that reach into the padding, three
 * pixels' widened groups, and each window value's offset in the image), plus
 * n4 x out_c for the padded filter when n4 > n;
 * without widen (the compiler's choice where those bytes would raise the
 * arena), 2n for two int8 windows alone.
 * In-place: a block's windows are all read into the scratch before any of its
 * output pixels is written, so the pixel-by-pixel rule of the reference kernel
 * is safe.
 *
 * mcunet: needs mcunet_dot_asm.c */
#include <string.h>

#include "mcunet_dot.h"
#include "mcunet_kernels.h"

/* The window of output pixel (oy, ox) of one image as k_h rows of k_w * in_c bytes. */
static void mcunet_gather_window(const mcunet_conv_params* p, const int8_t* image, int32_t oy,
                                 int32_t ox, int8_t pad, int8_t* col) {
  const int32_t in_c = p->in_c, row_bytes = p->k_w * in_c;
  const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
  int32_t kx_lo = x0 < 0 ? -x0 : 0, kx_hi = p->in_w - x0;
  if (kx_hi > p->k_w) kx_hi = p->k_w;
  if (kx_hi < kx_lo) kx_hi = kx_lo;
  const int32_t before = kx_lo * in_c, inside = (kx_hi - kx_lo) * in_c;
  for (int32_t ky = 0; ky < p->k_h; ++ky, col += row_bytes) {
    const int32_t y = y0 + ky;
    if (y < 0 || y >= p->in_h || inside == 0) {
      memset(col, pad, (size_t)row_bytes);
      continue;
    }
    if (before > 0) memset(col, pad, (size_t)before);
    memcpy(col + before, image + ((int64_t)y * p->in_w + x0 + kx_lo) * in_c, (size_t)inside);
    if (before + inside < row_bytes) {
      memset(col + before + inside, pad, (size_t)(row_bytes - before - inside));
    }
  }
}

#ifdef MCUNET_SIMD32
/* The window of output pixel (oy, ox) widened to int16 with the input offset
 * added, into the even/odd words of one pixel's slot of mcunet_widen_triple_s8's
 * layout (6 words per group); padded taps are 0, the value (zero point + input
 * offset) that the reference adds for them. in_c is a multiple of 4, so no
 * group straddles two taps. */
static void mcunet_widen_window(const mcunet_conv_params* p, const int8_t* image, int32_t oy,
                                int32_t ox, int32_t offsets, int32_t* col) {
  const int32_t in_c = p->in_c;
  const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
  const int rows_inside = x0 >= 0 && x0 + p->k_w <= p->in_w;
  for (int32_t ky = 0; ky < p->k_h; ++ky) {
    const int32_t y = y0 + ky;
    if (rows_inside && y >= 0 && y < p->in_h) { /* the row's k_w x in_c bytes in one run */
      const int8_t* src = image + ((int64_t)y * p->in_w + x0) * in_c;
      for (const int8_t* end = src + p->k_w * in_c; src < end; src += 4, col += 6) {
        const int32_t v = mcunet_load_i32(src);
        col[0] = __sxtab16(offsets, v);
        col[1] = mcunet_sxtab16_ror8(offsets, v);
      }
      continue;
    }
    for (int32_t kx = 0; kx < p->k_w; ++kx) {
      const int32_t x = x0 + kx;
      if (y < 0 || y >= p->in_h || x < 0 || x >= p->in_w) {
        for (int32_t c = 0; c < in_c; c += 4, col += 6) col[0] = col[1] = 0;
        continue;
      }
      const int8_t* src = image + ((int64_t)y * p->in_w + x) * in_c;
      for (int32_t c = 0; c < in_c; c += 4, col += 6) {
        const int32_t v = mcunet_load_i32(src + c);
        col[0] = __sxtab16(offsets, v);
        col[1] = mcunet_sxtab16_ror8(offsets, v);
      }
    }
  }
}

/* The window of output pixel (oy, ox) when it lies wholly inside the image,
 * widened with the input offset straight into one pixel's slot of
 * mcunet_widen_triple_s8's layout through `taps` (each value's offset from the
 * window's first byte, from mcunet_window_taps): a byte load per value, no
 * int8 copy. Returns 0, writing nothing, for a window that reaches into the
 * padding. */
static int mcunet_widen_inside(const mcunet_conv_params* p, const int8_t* image, int32_t oy,
                               int32_t ox, const int32_t* taps, int32_t groups, int32_t offsets,
                               int32_t* col) {
  const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
  if (y0 < 0 || x0 < 0 || y0 + p->k_h > p->in_h || x0 + p->k_w > p->in_w) return 0;
  const int8_t* src = image + ((int64_t)y0 * p->in_w + x0) * p->in_c;
  for (int32_t g = 0; g < groups; ++g, taps += 4, col += 6) {
    const int32_t v0 = src[taps[0]], v1 = src[taps[1]], v2 = src[taps[2]], v3 = src[taps[3]];
    col[0] = __sadd16(mcunet_pack16(v0, v2), offsets);
    col[1] = __sadd16(mcunet_pack16(v1, v3), offsets);
  }
  return 1;
}

/* One int8 window of `groups` x 4 values widened into one pixel's slot. */
static void mcunet_widen_one(const int8_t* win, int32_t groups, int32_t offsets, int32_t* col) {
  for (int32_t g = 0; g < groups; ++g, win += 4, col += 6) {
    const int32_t v = mcunet_load_i32(win);
    col[0] = __sxtab16(offsets, v);
    col[1] = mcunet_sxtab16_ror8(offsets, v);
  }
}

/* Offsets of a window's n values from its first byte in the image; the n4 - n
 * past them (which meet the padded filter's zeros) read its first byte. */
static void mcunet_window_taps(const mcunet_conv_params* p, int32_t n, int32_t n4, int32_t* taps) {
  const int32_t row_bytes = p->k_w * p->in_c, image_row = p->in_w * p->in_c;
  for (int32_t v = 0; v < n4; ++v) taps[v] = v < n ? v / row_bytes * image_row + v % row_bytes : 0;
}

/* Filter rows of n values copied to rows of n4 (zeros after n) interleaved in
 * pairs (mcunet_filter_pair's layout). */
static void mcunet_pad_filter_pairs(const int8_t* filter, int32_t n, int32_t n4, int32_t out_c,
                                    int8_t* dst) {
  for (int32_t oc = 0; oc < out_c; ++oc) {
    const int8_t* row = filter + (int64_t)oc * n;
    const int paired = (oc | 1) < out_c;
    int8_t* d = dst + (int64_t)(oc & ~1) * n4 + (paired ? (oc & 1) * 4 : 0);
    const int32_t step = paired ? 8 : 4;
    for (int32_t i = 0; i < n4; ++i) d[(i / 4) * step + i % 4] = i < n ? row[i] : 0;
  }
}
#endif

int mcunet_conv2d_im2col_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output, int8_t* scratch) {
  const int32_t n = p->k_h * p->k_w * p->in_c, out_c = p->out_c, offset = p->input_offset;
  if (p->filter_in_c != p->in_c || p->dilation_h != 1 || p->dilation_w != 1 || !scratch ||
      (p->filter_pairs && n % 4 != 0)) {
    return MCUNET_BAD_PARAMS;
  }
#ifdef MCUNET_SIMD32
  const int pairs = p->filter_pairs != 0;
#else
  const int pairs = 0; /* the generated C interleaves for SIMD32 cores only */
#endif
  const int8_t pad = (int8_t)(-offset);
  const mcunet_requant q = {p->multiplier, p->shift, p->output_offset, p->act_min, p->act_max};
  const int32_t per_image = p->out_h * p->out_w, pixels = p->batches * per_image;
  const int64_t image_bytes = (int64_t)p->in_h * p->in_w * p->in_c;
  int32_t px = 0;
  int short_requant = 0;
#ifdef MCUNET_SIMD32
  short_requant = mcunet_requant_is_short(&q, out_c);
  const int32_t n4 = (n + 3) & ~3;
  /* The filter rows interleaved in pairs: the model's, or copied padded to n4. */
  int8_t* const padded = scratch + 7 * n4;
  const int8_t* const rows = n4 == n ? filter : padded;
  if (p->widen && (n4 > n || pairs) && bias && short_requant) {
    /* Three windows at a time, after the first pixels % 3 one at a time (each
     * widened three times, its outputs written three times over). */
    const int from_image = p->in_c % 4 == 0;
    int32_t* const wide = (int32_t*)(void*)(from_image ? scratch : scratch + n4);
    int8_t* const win = scratch; /* a window reaching into the padding, when in_c % 4 != 0 */
    int32_t* const taps = (int32_t*)(void*)(padded + (n4 > n ? n4 * out_c : 0));
    if (!from_image) mcunet_window_taps(p, n, n4, taps);
    if (n4 > n) {
      mcunet_pad_filter_pairs(filter, n, n4, out_c, padded);
      memset(win + n, pad, (size_t)(n4 - n)); /* read, but the padded filter's zeros meet them */
    }
    const int32_t offsets = mcunet_dup16(offset);
    while (px < pixels) {
      const int whole = px >= pixels % 3;
      for (int32_t k = 0; k < 3; ++k) {
        const int32_t i = whole ? px + k : px, b = i / per_image, yx = i % per_image;
        const int8_t* image = input + b * image_bytes;
        const int32_t oy = yx / p->out_w, ox = yx % p->out_w;
        if (from_image) {
          mcunet_widen_window(p, image, oy, ox, offsets, wide + 2 * k);
        } else if (!mcunet_widen_inside(p, image, oy, ox, taps, n4 / 4, offsets, wide + 2 * k)) {
          mcunet_gather_window(p, image, oy, ox, pad, win);
          mcunet_widen_one(win, n4 / 4, offsets, wide + 2 * k);
        }
      }
      mcunet_triples_widened(wide, n4 / 4, rows, bias, out_c, whole ? out_c : 0, &q,
                             output + (int64_t)px * out_c, short_requant);
      px += whole ? 3 : 1;
    }
    return MCUNET_OK;
  }
#endif
  int8_t* const col0 = scratch;
  int8_t* const col1 = scratch + n;
  for (; px < pixels; px += 2) {
    /* The last pixel of an odd count pairs with itself; only one is written. */
    const int two = px + 1 < pixels;
    for (int32_t k = 0; k < 1 + two; ++k) {
      const int32_t i = px + k, b = i / per_image, yx = i % per_image;
      mcunet_gather_window(p, input + b * image_bytes, yx / p->out_w, yx % p->out_w, pad,
                           k ? col1 : col0);
    }
    mcunet_pixel_pair_s8(col0, two ? col1 : col0, two, filter, pairs, bias, n, out_c, offset, &q,
                         output + (int64_t)px * out_c, short_requant);
  }
  return MCUNET_OK;
}
