/* CONV_2D int8, any filter size, stride and padding, one group, no dilation:
 * the windows of output pixels are gathered into a scratch buffer (int8,
 * padded taps set to the input zero point, so that they add
 * (zero_point + input_offset) * w = 0 as in the reference kernel), then each
 * pair of output channels is a blocked dot product over the windows
 * (mcunet_dot.h). The int32 sums are exact: bit-exact with the reference.
 *
 * With SIMD and in_c a multiple of 4, the windows are instead widened
 * straight from the image to int16, once for all output channels: three at a
 * time when the filter rows are interleaved in pairs (p->dsp_layout 1, or 3:
 * stored widened to int16, for this path only) and the layer takes the short
 * requantisation, else two.
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
 * arena), 2n for two int8 windows alone; with SIMD, interleaved rows, a bias
 * and the short requantisation, the same 2n bytes hold one window widened to
 * int16 instead, against which every channel pair runs in assembly.
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
/* Four window values widened with the input offset into a group's two words:
 * the even bytes' int16 pair, then the odd bytes'. */
static inline void mcunet_widen_group(int32_t v, int32_t offsets, int32_t* col) {
  col[0] = __sxtab16(offsets, v);
  col[1] = mcunet_sxtab16_ror8(offsets, v);
}

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
      const int8_t* const end = src + p->k_w * in_c;
      if ((end - src) & 4) { /* an odd group first, then pairs */
        mcunet_widen_group(mcunet_load_i32(src), offsets, col);
        src += 4, col += 6;
      }
#if defined(__GNUC__)
      /* 10 instructions for two groups (one STRD for each's two words), not
       * the compiler's 16. */
      if (src < end) {
        int32_t x0, x1, y0, y1;
        __asm__ volatile(
            "1:\n\t"
            "ldr %[x0], [%[src]], #4\n\t"
            "ldr %[x1], [%[src]], #4\n\t"
            "sxtab16 %[y0], %[off], %[x0], ror #8\n\t"
            "sxtab16 %[x0], %[off], %[x0]\n\t"
            "sxtab16 %[y1], %[off], %[x1], ror #8\n\t"
            "sxtab16 %[x1], %[off], %[x1]\n\t"
            "strd %[x0], %[y0], [%[col]], #24\n\t"
            "strd %[x1], %[y1], [%[col]], #24\n\t"
            "cmp %[src], %[end]\n\t"
            "bne 1b\n\t"
            : [src] "+r"(src), [col] "+r"(col), [x0] "=&r"(x0), [x1] "=&r"(x1), [y0] "=&r"(y0),
              [y1] "=&r"(y1)
            : [end] "r"(end), [off] "r"(offsets)
            : "cc", "memory");
      }
#else
      for (; src < end; src += 4, col += 6) {
        mcunet_widen_group(mcunet_load_i32(src), offsets, col);
      }
#endif
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
        mcunet_widen_group(mcunet_load_i32(src + c), offsets, col);
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
#if defined(__GNUC__)
  /* 13 instructions a group (two offsets a LDRD, both words one STRD), not the
   * compiler's 18. groups >= 1. */
  const int32_t* const end = taps + 4 * groups;
  int32_t a, b, c, d;
  __asm__ volatile(
      "1:\n\t"
      "ldrd %[a], %[b], [%[taps]], #8\n\t"
      "ldrd %[c], %[d], [%[taps]], #8\n\t"
      "ldrsb %[a], [%[src], %[a]]\n\t"
      "ldrsb %[b], [%[src], %[b]]\n\t"
      "ldrsb %[c], [%[src], %[c]]\n\t"
      "ldrsb %[d], [%[src], %[d]]\n\t"
      "pkhbt %[a], %[a], %[c], lsl #16\n\t"
      "pkhbt %[b], %[b], %[d], lsl #16\n\t"
      "sadd16 %[a], %[a], %[off]\n\t"
      "sadd16 %[b], %[b], %[off]\n\t"
      "strd %[a], %[b], [%[col]], #24\n\t"
      "cmp %[taps], %[end]\n\t"
      "bne 1b\n\t"
      : [taps] "+r"(taps), [col] "+r"(col), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d)
      : [src] "r"(src), [end] "r"(end), [off] "r"(offsets)
      : "cc", "memory");
#else
  for (int32_t g = 0; g < groups; ++g, taps += 4, col += 6) {
    const int32_t v0 = src[taps[0]], v1 = src[taps[1]], v2 = src[taps[2]], v3 = src[taps[3]];
    col[0] = __sadd16(mcunet_pack16(v0, v2), offsets);
    col[1] = __sadd16(mcunet_pack16(v1, v3), offsets);
  }
#endif
  return 1;
}

/* One int8 window of `groups` x 4 values widened into one pixel's slot, each
 * group's two words `step` words after the last one's (6 in three pixels'
 * layout, 2 alone). Each group is read before its words are written, so the
 * window may lie in the second half of a lone pixel's own 8 x groups bytes. */
static void mcunet_widen_one(const int8_t* win, int32_t groups, int32_t offsets, int32_t step,
                             int32_t* col) {
  for (int32_t g = 0; g < groups; ++g, win += 4, col += step) {
    mcunet_widen_group(mcunet_load_i32(win), offsets, col);
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
static void mcunet_pad_dsp_layout(const int8_t* filter, int32_t n, int32_t n4, int32_t out_c,
                                  int8_t* dst) {
  for (int32_t oc = 0; oc < out_c; ++oc) {
    const int8_t* row = filter + (int64_t)oc * n;
    const int paired = (oc | 1) < out_c;
    int8_t* d = dst + (int64_t)(oc & ~1) * n4 + (paired ? (oc & 1) * 4 : 0);
    const int32_t step = paired ? 8 : 4;
    for (int32_t i = 0; i < n4; ++i) d[(i / 4) * step + i % 4] = i < n ? row[i] : 0;
  }
}

/* The window of output pixel (oy, ox) widened with the input offset into a
 * lone pixel's layout (per group of four values its even and odd words: 2n
 * bytes, n a multiple of 4, the compact variant's scratch). Rows of whole
 * groups are widened straight from the image (rows in the padding are zeros:
 * a padded tap adds (zero point + input offset) x w = 0, as in the reference;
 * rows cut by the left or right edge take the zero point's bytes there);
 * other windows are gathered as int8 into the second half of those bytes and
 * widened from there. */
static void mcunet_widen_lone(const mcunet_conv_params* p, const int8_t* image, int32_t oy,
                              int32_t ox, int8_t pad, int32_t n, int32_t offsets, int32_t* col) {
  /* Locals: the int32 stores to col could alias *p as far as the compiler knows. */
  const int32_t in_c = p->in_c, in_h = p->in_h, in_w = p->in_w, k_h = p->k_h, k_w = p->k_w;
  const int32_t row_bytes = k_w * in_c, image_row = in_w * in_c;
  const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
  if (row_bytes % 4 == 0 && y0 >= 0 && x0 >= 0 && y0 + k_h <= in_h && x0 + k_w <= in_w) {
    const int8_t* src = image + ((int64_t)y0 * in_w + x0) * in_c;
    for (int32_t ky = 0; ky < k_h; ++ky, src += image_row) {
      int32_t i = 0;
      for (; i + 8 <= row_bytes; i += 8, col += 4) {
        mcunet_widen_group(mcunet_load_i32(src + i), offsets, col);
        mcunet_widen_group(mcunet_load_i32(src + i + 4), offsets, col + 2);
      }
      if (i < row_bytes) mcunet_widen_group(mcunet_load_i32(src + i), offsets, col), col += 2;
    }
    return;
  }
  if (row_bytes % 4 != 0) {
    int8_t* const win = (int8_t*)(void*)col + n;
    mcunet_gather_window(p, image, oy, ox, pad, win);
    mcunet_widen_one(win, n / 4, offsets, 2, col);
    return;
  }
  /* Bytes [before, after) of each row lie inside the image. */
  int32_t kx_lo = x0 < 0 ? -x0 : 0, kx_hi = in_w - x0;
  if (kx_hi > k_w) kx_hi = k_w;
  if (kx_hi < kx_lo) kx_hi = kx_lo;
  const int32_t before = kx_lo * in_c, after = kx_hi * in_c;
  for (int32_t ky = 0, y = y0; ky < k_h; ++ky, ++y) {
    if (y < 0 || y >= in_h || before == after) {
      memset(col, 0, (size_t)row_bytes * 2);
      col += row_bytes / 2;
      continue;
    }
    const int8_t* const row = image + (int64_t)y * image_row;
    const int64_t first = (int64_t)x0 * in_c; /* the window row's first byte (< 0: padding) */
    for (int32_t i = 0; i < row_bytes; i += 4, col += 2) {
      if (i >= before && i + 4 <= after) {
        mcunet_widen_group(mcunet_load_i32(row + first + i), offsets, col);
      } else if (i + 4 <= before || i >= after) {
        col[0] = col[1] = 0;
      } else { /* a group across the edge */
        int8_t b[4];
        for (int32_t j = 0; j < 4; ++j)
          b[j] = i + j >= before && i + j < after ? row[first + i + j] : pad;
        mcunet_widen_group(mcunet_load_i32(b), offsets, col);
      }
    }
  }
}

#if defined(__GNUC__)
/* What mcunet_lone_asm reads; it copies the fields to its frame in this order. */
typedef struct {
  const int32_t* multiplier; /* channel oc's, then oc + 1's */
  const int32_t* shift;
  int8_t* out; /* the pixel's output channel oc */
  int32_t output_offset;
  const int32_t* col; /* the pixel widened (mcunet_widen_lone), groups x 8 bytes */
  const int8_t* w;    /* channel oc's pair of rows, interleaved (mcunet_filter_pair) */
  const int32_t* bias;
  int32_t groups; /* >= 1 */
  const int32_t* col_end;
  int32_t pairs; /* >= 1 */
} mcunet_lone_job;

/* clang-format off */
/* One group of four values into the two sums r2 (row oc) and r3 (row oc + 1):
 * col r0, interleaved rows r1. */
#define MCUNET_LONE_GROUP        \
  "ldrd r4, r6, [r1], #8\n\t"    \
  "ldrd r8, r9, [r0], #8\n\t"    \
  "sxtb16 r5, r4, ror #8\n\t"    \
  "sxtb16 r4, r4\n\t"            \
  "sxtb16 r7, r6, ror #8\n\t"    \
  "sxtb16 r6, r6\n\t"            \
  "smlad r2, r4, r8, r2\n\t"     \
  "smlad r2, r5, r9, r2\n\t"     \
  "smlad r3, r6, r8, r3\n\t"     \
  "smlad r3, r7, r9, r3\n\t"

/* Requantises sum S with multiplier M and shift E (overwritten by -shift - 1)
 * as MCUNET_TRIPLES_OUT does (kernels/mcunet_dot_asm.c): lr = 2^30, zero point
 * r7, stored at r6, which steps. */
#define MCUNET_LONE_OUT(S, M, E)      \
  "mvn " E ", " E "\n\t"             \
  "asr r0, " S ", #31\n\t"           \
  "orr r4, lr, r0, lsl #31\n\t"      \
  "smlal r4, r0, " S ", " M "\n\t"   \
  "asrs r0, r0, " E "\n\t"           \
  "adcs r0, r0, r7\n\t"              \
  "ssat r0, #8, r0\n\t"              \
  "strb r0, [r6], #1\n\t"
/* clang-format on */

/* Every channel pair of one pixel (the job's `pairs` from channel oc) with
 * interleaved rows, a bias and the short requantisation with positive
 * multipliers: two sums in registers, 10 instructions for 8 multiply-
 * accumulates (TBB enters the loop of four groups at groups % 4 from its end),
 * then two outputs. Naked: nothing but the assembly. */
__attribute__((naked, noinline)) static void mcunet_lone_asm(const mcunet_lone_job* job
                                                             __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "ldm r0, {r1-r10}\n\t"
      "push {r1-r10}\n\t" /* sp: multiplier, shift, out, zero point, col, w, bias, groups, col_end, pairs */
      "ldr r1, [sp, #20]\n\t" /* each pair's rows follow the last pair's */
      "ldr r10, [sp, #32]\n\t"
      "mov lr, #0x40000000\n\t"
      "1:\n\t"
      "ldr r0, [sp, #16]\n\t"
      "ldr r12, [sp, #24]\n\t"
      "ldrd r2, r3, [r12], #8\n\t"
      "str r12, [sp, #24]\n\t"
      "ldr r12, [sp, #28]\n\t"
      "and r12, r12, #3\n\t"
      "tbb [pc, r12]\n\t"
      "4:\n\t"
      ".byte (2f - 4b) / 2, (7f - 4b) / 2, (6f - 4b) / 2, (5f - 4b) / 2\n\t"
      "2:\n\t" MCUNET_LONE_GROUP
      "5:\n\t" MCUNET_LONE_GROUP
      "6:\n\t" MCUNET_LONE_GROUP
      "7:\n\t" MCUNET_LONE_GROUP
      "cmp r0, r10\n\t"
      "bne 2b\n\t"
      "ldm sp, {r4-r7}\n\t" /* multiplier, shift, out, zero point */
      "ldrd r8, r9, [r4], #8\n\t"
      "ldrd r11, r12, [r5], #8\n\t"
      "stm sp, {r4, r5}\n\t"
      MCUNET_LONE_OUT("r2", "r8", "r11") MCUNET_LONE_OUT("r3", "r9", "r12")
      "str r6, [sp, #8]\n\t"
      "ldr r12, [sp, #36]\n\t"
      "subs r12, r12, #1\n\t"
      "str r12, [sp, #36]\n\t"
      "bne 1b\n\t"
      "add sp, sp, #40\n\t"
      "pop {r4-r11, pc}\n\t");
}
#endif

/* Every output channel of one pixel widened by mcunet_widen_lone (n = 4 x
 * groups values) with interleaved rows, a bias and the short requantisation
 * (`short_requant` from mcunet_requant_is_short, non-zero): runs of channel
 * pairs with positive multipliers in assembly, the others (a negative
 * multiplier, an odd last channel) in C. */
static void mcunet_lone_pixel(const int32_t* col, int32_t groups, const int8_t* filter,
                              const int32_t* bias, int32_t out_c, const mcunet_requant* q,
                              int8_t* out, int short_requant) {
  const int32_t n = 4 * groups;
  for (int32_t oc = 0; oc < out_c;) {
#if defined(__GNUC__)
    const int32_t pairs = mcunet_positive_pairs(q, oc, out_c, short_requant);
    if (pairs > 0) {
      const mcunet_lone_job job = {
          q->multiplier + oc,       q->shift + oc, out + oc, q->output_offset, col,
          filter + (int64_t)oc * n, bias + oc,     groups,   col + 2 * groups, pairs};
      mcunet_lone_asm(&job);
      oc += 2 * pairs;
      continue;
    }
#endif
    const int8_t* w1;
    const int32_t step = mcunet_filter_pair(filter, n, oc, out_c, 1, &w1);
    const int8_t* w0 = filter + (int64_t)oc * n;
    const int pair = oc + 1 < out_c;
    int32_t s0 = bias[oc], s1 = bias[oc + pair];
    for (int32_t g = 0; g < groups; ++g, w0 += step, w1 += step) {
      const int32_t k0 = mcunet_load_i32(w0), k1 = mcunet_load_i32(w1);
      s0 = __smlad(__sxtb16(k0), col[2 * g], __smlad(mcunet_sxtb16_ror8(k0), col[2 * g + 1], s0));
      s1 = __smlad(__sxtb16(k1), col[2 * g], __smlad(mcunet_sxtb16_ror8(k1), col[2 * g + 1], s1));
    }
    out[oc] = mcunet_short_out(q, s0, oc);
    if (pair) out[oc + 1] = mcunet_short_out(q, s1, oc + 1);
    oc += 2;
  }
}
#endif

/* Whether the kernels take these parameters (n: the window's values). */
static int mcunet_im2col_params_ok(const mcunet_conv_params* p, int32_t n, const int8_t* scratch) {
  return p->filter_in_c == p->in_c && p->dilation_h == 1 && p->dilation_w == 1 && scratch &&
         !(p->dsp_layout && n % 4 != 0);
}

/* Whether the filter rows are interleaved in pairs (mcunet_filter_pair). */
static int mcunet_im2col_pairs(const mcunet_conv_params* p) {
#ifdef MCUNET_SIMD32
  return p->dsp_layout != 0;
#else
  (void)p;
  return 0; /* the generated C interleaves for SIMD32 cores only */
#endif
}

/* Every core's path: two int8 windows at a time (2n bytes of scratch). Inlined
 * in both entries: a project links one of them, and a call costs code. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int
mcunet_im2col_two_windows(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                          const int32_t* bias, int8_t* output, int8_t* scratch,
                          const mcunet_requant* q, int short_requant, int32_t stride) {
  const int32_t n = p->k_h * p->k_w * p->in_c, out_c = p->out_c, offset = p->input_offset;
  const int32_t per_image = p->out_h * p->out_w, pixels = p->batches * per_image;
  const int64_t image_bytes = (int64_t)p->in_h * p->in_w * p->in_c;
  const int8_t pad = (int8_t)(-offset);
  int8_t* const col0 = scratch;
  int8_t* const col1 = scratch + n;
  for (int32_t px = 0; px < pixels; px += 2) {
    /* The last pixel of an odd count pairs with itself; only one is written. */
    const int two = px + 1 < pixels;
    for (int32_t k = 0; k < 1 + two; ++k) {
      const int32_t i = px + k, b = i / per_image, yx = i % per_image;
      mcunet_gather_window(p, input + b * image_bytes, yx / p->out_w, yx % p->out_w, pad,
                           k ? col1 : col0);
    }
    mcunet_pixel_pair_s8(col0, two ? col1 : col0, two, filter, mcunet_im2col_pairs(p), bias, n,
                         out_c, stride, offset, q, output + (int64_t)px * stride, short_requant);
  }
  return MCUNET_OK;
}

/* Every variant, chosen by p->widen: the generated C for a compact layer calls
 * mcunet_conv2d_im2col_compact_s8 instead, so that a project holds only the
 * paths its layers take; here a compact layer takes the two windows. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
mcunet_im2col_rows(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                   const int32_t* bias, int8_t* output, int8_t* scratch, int32_t stride) {
  const int32_t n = p->k_h * p->k_w * p->in_c;
  if (!mcunet_im2col_params_ok(p, n, scratch) || stride < p->out_c) return MCUNET_BAD_PARAMS;
  const mcunet_requant q = {p->multiplier, p->shift, p->output_offset, p->act_min, p->act_max};
  int short_requant = 0;
#ifdef MCUNET_SIMD32
  const int32_t out_c = p->out_c, offset = p->input_offset;
  short_requant = mcunet_requant_is_short(&q, out_c);
  const int32_t per_image = p->out_h * p->out_w, pixels = p->batches * per_image;
  const int64_t image_bytes = (int64_t)p->in_h * p->in_w * p->in_c;
  const int8_t pad = (int8_t)(-offset);
  const int32_t n4 = (n + 3) & ~3;
  /* The filter rows interleaved in pairs: the model's, or copied padded to n4. */
  int8_t* const padded = scratch + 7 * n4;
  const int8_t* const rows = n4 == n ? filter : padded;
  /* Rows stored widened run here or nowhere (see conv_1x1_s8.c). */
  const int wide_rows = p->dsp_layout == 3;
  if (wide_rows && !(p->widen && n4 == n && mcunet_wide_rows_ok(bias, out_c, short_requant))) {
    return MCUNET_BAD_PARAMS;
  }
  if (p->widen && (n4 > n || mcunet_im2col_pairs(p)) && bias && short_requant) {
    /* Three windows at a time, after the first pixels % 3 one at a time (each
     * widened three times, its outputs written three times over). */
    const int from_image = p->in_c % 4 == 0;
    int32_t* const wide = (int32_t*)(void*)(from_image ? scratch : scratch + n4);
    int8_t* const win = scratch; /* a window reaching into the padding, when in_c % 4 != 0 */
    int32_t* const taps = (int32_t*)(void*)(padded + (n4 > n ? n4 * out_c : 0));
    if (!from_image) mcunet_window_taps(p, n, n4, taps);
    if (n4 > n) {
      mcunet_pad_dsp_layout(filter, n, n4, out_c, padded);
      memset(win + n, pad, (size_t)(n4 - n)); /* read, but the padded filter's zeros meet them */
    }
    const int32_t offsets = mcunet_dup16(offset);
    for (int32_t px = 0; px < pixels;) {
      const int whole = px >= pixels % 3;
      for (int32_t k = 0; k < 3; ++k) {
        const int32_t i = whole ? px + k : px, b = i / per_image, yx = i % per_image;
        const int8_t* image = input + b * image_bytes;
        const int32_t oy = yx / p->out_w, ox = yx % p->out_w;
        if (from_image) {
          mcunet_widen_window(p, image, oy, ox, offsets, wide + 2 * k);
        } else if (!mcunet_widen_inside(p, image, oy, ox, taps, n4 / 4, offsets, wide + 2 * k)) {
          mcunet_gather_window(p, image, oy, ox, pad, win);
          mcunet_widen_one(win, n4 / 4, offsets, 6, wide + 2 * k);
        }
      }
      mcunet_triples_widened(wide, n4 / 4, rows, bias, out_c, whole ? stride : 0, &q,
                             output + (int64_t)px * stride, short_requant, wide_rows);
      px += whole ? 3 : 1;
    }
    return MCUNET_OK;
  }
#endif
  return mcunet_im2col_two_windows(p, input, filter, bias, output, scratch, &q, short_requant,
                                   stride);
}

int mcunet_conv2d_im2col_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output, int8_t* scratch) {
  return mcunet_im2col_rows(p, input, filter, bias, output, scratch, p->out_c);
}

/* Output pixels out_stride values apart: a view in a channel concatenation. A
 * compact layer takes the two windows here. */
int mcunet_conv2d_im2col_strided_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch, int32_t out_stride) {
  return mcunet_im2col_rows(p, input, filter, bias, output, scratch, out_stride);
}

/* The compact variant (2n bytes of scratch). With SIMD, interleaved rows, a
 * bias and the short requantisation: one window at a time, widened in the
 * bytes two int8 windows would take, then every channel pair against it. */
int mcunet_conv2d_im2col_compact_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch) {
  const int32_t n = p->k_h * p->k_w * p->in_c;
  if (!mcunet_im2col_params_ok(p, n, scratch)) return MCUNET_BAD_PARAMS;
  const mcunet_requant q = {p->multiplier, p->shift, p->output_offset, p->act_min, p->act_max};
  int short_requant = 0;
#ifdef MCUNET_SIMD32
  if (p->dsp_layout == 3) return MCUNET_BAD_PARAMS; /* rows stored widened: the wide path only */
  const int32_t out_c = p->out_c;
  short_requant = mcunet_requant_is_short(&q, out_c);
  if (mcunet_im2col_pairs(p) && bias && short_requant) {
    const int64_t image_bytes = (int64_t)p->in_h * p->in_w * p->in_c;
    const int8_t pad = (int8_t)(-p->input_offset);
    const int32_t offsets = mcunet_dup16(p->input_offset);
    int32_t* const col = (int32_t*)(void*)scratch;
    int8_t* out = output;
    for (int32_t b = 0; b < p->batches; ++b) {
      for (int32_t oy = 0; oy < p->out_h; ++oy) {
        for (int32_t ox = 0; ox < p->out_w; ++ox, out += out_c) {
          mcunet_widen_lone(p, input + b * image_bytes, oy, ox, pad, n, offsets, col);
          mcunet_lone_pixel(col, n / 4, filter, bias, out_c, &q, out, short_requant);
        }
      }
    }
    return MCUNET_OK;
  }
#endif
  return mcunet_im2col_two_windows(p, input, filter, bias, output, scratch, &q, short_requant,
                                   p->out_c);
}
