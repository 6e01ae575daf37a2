/* The blocked int8 dot product that the matrix-product kernels share (1x1
 * convolution, and k x k convolution over gathered windows): two filter rows
 * against two input rows, four sums, the input offset added to every input
 * value. With the ARMv7E-M SIMD instructions, four values at a time: SXTAB16
 * widens two input bytes to int16 and adds the offset in one instruction,
 * SMLAD does two multiply-accumulates. The int32 sums are exact. */
#ifndef MCUNET_DOT_H_
#define MCUNET_DOT_H_

#include <stdint.h>

#include "mcunet_fixed_point.h"
#include "mcunet_simd.h"

/* Filter rows oc and oc + 1 of a layer whose rows are n values long (w1 = w0
 * when oc is the last channel), and the step from one group of four values of
 * a row to the next. Rows are stored whole (step 4), or, with `pairs`
 * (mcunet_conv_params.dsp_layout, n a multiple of 4), each channel pair's two
 * rows interleaved four values at a time (step 8), so that one LDRD reads a
 * group of both; an odd last row is stored whole. A pair starts at oc * n in
 * both layouts. */
static inline int32_t mcunet_filter_pair(const int8_t* filter, int32_t n, int32_t oc, int32_t out_c,
                                         int pairs, const int8_t** w1) {
  const int8_t* w0 = filter + (int64_t)oc * n;
  if (oc + 1 >= out_c) {
    *w1 = w0;
    return 4;
  }
  *w1 = pairs ? w0 + 4 : w0 + n;
  return pairs ? 8 : 4;
}

/* Sums of filter rows w0, w1 (groups of four values `step` bytes apart,
 * mcunet_filter_pair) against pixels a0, a1 (the input offset added to every
 * input value): s[0] = w0.a0, s[1] = w0.a1, s[2] = w1.a0, s[3] = w1.a1. Values
 * past the last whole group follow it (rows stored whole). */
static inline void mcunet_dot_2x2(const int8_t* a0, const int8_t* a1, const int8_t* w0,
                                  const int8_t* w1, int32_t step, int32_t n, int32_t offset,
                                  int32_t s[4]) {
  int32_t s00 = s[0], s01 = s[1], s10 = s[2], s11 = s[3];
  int32_t i = 0;
#ifdef MCUNET_SIMD32
  const int32_t offsets = mcunet_dup16(offset);
  for (; i + 4 <= n; i += 4, w0 += step, w1 += step) {
    const int32_t x0 = mcunet_load_i32(a0 + i), x1 = mcunet_load_i32(a1 + i);
    const int32_t k0 = mcunet_load_i32(w0), k1 = mcunet_load_i32(w1);
    /* Even bytes (0, 2) and odd bytes (1, 3), widened to int16 pairs. */
    const int32_t x0e = __sxtab16(offsets, x0), x0o = mcunet_sxtab16_ror8(offsets, x0);
    const int32_t x1e = __sxtab16(offsets, x1), x1o = mcunet_sxtab16_ror8(offsets, x1);
    const int32_t k0e = __sxtb16(k0), k0o = mcunet_sxtb16_ror8(k0);
    const int32_t k1e = __sxtb16(k1), k1o = mcunet_sxtb16_ror8(k1);
    s00 = __smlad(k0e, x0e, __smlad(k0o, x0o, s00));
    s01 = __smlad(k0e, x1e, __smlad(k0o, x1o, s01));
    s10 = __smlad(k1e, x0e, __smlad(k1o, x0o, s10));
    s11 = __smlad(k1e, x1e, __smlad(k1o, x1o, s11));
  }
#else
  (void)step; /* 4: without SIMD32 the rows are stored whole */
#endif
  /* Rows stored whole from here on (interleaved rows have no values past their
   * groups): index them from their start again. */
  w0 -= i, w1 -= i;
  for (; i < n; ++i) {
    const int32_t x0 = a0[i] + offset, x1 = a1[i] + offset, k0 = w0[i], k1 = w1[i];
    s00 += k0 * x0;
    s01 += k0 * x1;
    s10 += k1 * x0;
    s11 += k1 * x1;
  }
  s[0] = s00, s[1] = s01, s[2] = s10, s[3] = s11;
}

/* A layer's requantisation: per-channel multipliers and shifts, output zero
 * point and clamp bounds, held in locals by the kernels. */
typedef struct {
  const int32_t* multiplier;
  const int32_t* shift;
  int32_t output_offset, lo, hi;
} mcunet_requant;

/* Whether a layer takes the short requantisation: every shift <= -2 and no
 * clamp narrower than int8 (the usual case: a fused RELU with zero point -128).
 * 2 when no multiplier is negative either (MCUNET_SHORT_POSITIVE: with a zero
 * multiplier, mcunet_requantize_down_positive gives 0 like the reference). */
#define MCUNET_SHORT_POSITIVE 2
static inline int mcunet_requant_is_short(const mcunet_requant* q, int32_t channels) {
  if (q->lo != -128 || q->hi != 127 || !mcunet_all_shifts_down(q->shift, channels)) return 0;
  for (int32_t c = 0; c < channels; ++c) {
    if (q->multiplier[c] < 0) return 1;
  }
  return MCUNET_SHORT_POSITIVE;
}

/* Requantises a block's four sums into output channels oc (s[0], s[1]) and oc + 1
 * (s[2], s[3]) of pixels o0 (s[0], s[2]) and o1 (s[1], s[3]); `two` and `pair`
 * say whether the second pixel and the second channel exist. */
static inline void mcunet_store_2x2(const mcunet_requant* q, const int32_t s[4], int8_t* o0,
                                    int8_t* o1, int32_t oc, int two, int pair) {
#ifdef MCUNET_SIMD32
  /* A loop, not four copies of the general requantisation: with SIMD this is
   * the rare path (narrow clamps, shifts above -2), and the copies cost 1 kB. */
  for (int32_t k = 0; k < 4; ++k) {
    const int32_t c = oc + (k >> 1);
    if ((k & 1 && !two) || (k >> 1 && !pair)) continue;
    (k & 1 ? o1 : o0)[c] = mcunet_requantize_to_int8(s[k], q->multiplier[c], q->shift[c],
                                                     q->output_offset, q->lo, q->hi);
  }
#else
  const int32_t m0 = q->multiplier[oc], sh0 = q->shift[oc];
  o0[oc] = mcunet_requantize_to_int8(s[0], m0, sh0, q->output_offset, q->lo, q->hi);
  if (two) o1[oc] = mcunet_requantize_to_int8(s[1], m0, sh0, q->output_offset, q->lo, q->hi);
  if (pair) {
    const int32_t m1 = q->multiplier[oc + 1], sh1 = q->shift[oc + 1];
    o0[oc + 1] = mcunet_requantize_to_int8(s[2], m1, sh1, q->output_offset, q->lo, q->hi);
    if (two) o1[oc + 1] = mcunet_requantize_to_int8(s[3], m1, sh1, q->output_offset, q->lo, q->hi);
  }
#endif
}

#ifdef MCUNET_SIMD32
/* Requantises sum s of channel c the short way (mcunet_requant_is_short): one
 * SMLAL, SSAT as the clamp. |v| < 2^30 (shift <= -2), so v + zero point cannot
 * overflow. */
static inline int8_t mcunet_short_out(const mcunet_requant* q, int32_t s, int32_t c) {
  return (int8_t)__ssat(
      mcunet_requantize_down_fast(s, q->multiplier[c], -q->shift[c] - 2) + q->output_offset, 8);
}

/* mcunet_store_2x2 for a layer that takes the short requantisation. */
static inline void mcunet_store_2x2_short(const mcunet_requant* q, const int32_t s[4], int8_t* o0,
                                          int8_t* o1, int32_t oc, int two, int pair) {
  o0[oc] = mcunet_short_out(q, s[0], oc);
  if (two) o1[oc] = mcunet_short_out(q, s[1], oc);
  if (pair) {
    o0[oc + 1] = mcunet_short_out(q, s[2], oc + 1);
    if (two) o1[oc + 1] = mcunet_short_out(q, s[3], oc + 1);
  }
}

/* The first `groups` groups of four values of three pixels `stride` bytes
 * apart (0: one pixel three times), widened once to int16 pairs with the input
 * offset added, so that the product over every output channel pair reads them
 * ready: per group the words a0 even, a0 odd, a1 even, a1 odd, a2 even, a2 odd
 * (24 bytes, three LDRDs), the layout mcunet_triples_asm reads. `col` is
 * word-aligned. */
static inline void mcunet_widen_triple_s8(const int8_t* a0, int32_t stride, int32_t groups,
                                          int32_t offset, int32_t* col) {
  const int32_t offsets = mcunet_dup16(offset);
#if defined(__GNUC__)
  /* 14 instructions a group (each pair of words one STRD), not the compiler's 18. */
  if (groups > 0) {
    const int8_t *a1 = a0 + stride, *a2 = a0 + 2 * stride, *const end = a0 + 4 * groups;
    int32_t x0, x1, x2, y0, y1, y2;
    __asm__ volatile(
        "1:\n\t"
        "ldr %[x0], [%[a0]], #4\n\t"
        "ldr %[x1], [%[a1]], #4\n\t"
        "ldr %[x2], [%[a2]], #4\n\t"
        "sxtab16 %[y0], %[off], %[x0], ror #8\n\t"
        "sxtab16 %[x0], %[off], %[x0]\n\t"
        "sxtab16 %[y1], %[off], %[x1], ror #8\n\t"
        "sxtab16 %[x1], %[off], %[x1]\n\t"
        "sxtab16 %[y2], %[off], %[x2], ror #8\n\t"
        "sxtab16 %[x2], %[off], %[x2]\n\t"
        "strd %[x0], %[y0], [%[col]], #8\n\t"
        "strd %[x1], %[y1], [%[col]], #8\n\t"
        "strd %[x2], %[y2], [%[col]], #8\n\t"
        "cmp %[a0], %[end]\n\t"
        "bne 1b\n\t"
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [col] "+r"(col), [x0] "=&r"(x0),
          [x1] "=&r"(x1), [x2] "=&r"(x2), [y0] "=&r"(y0), [y1] "=&r"(y1), [y2] "=&r"(y2)
        : [end] "r"(end), [off] "r"(offsets)
        : "cc", "memory");
  }
  return;
#endif
  for (int32_t g = 0; g < groups; ++g, a0 += 4, col += 6) {
    const int32_t x0 = mcunet_load_i32(a0), x1 = mcunet_load_i32(a0 + stride);
    const int32_t x2 = mcunet_load_i32(a0 + 2 * stride);
    col[0] = __sxtab16(offsets, x0);
    col[1] = mcunet_sxtab16_ror8(offsets, x0);
    col[2] = __sxtab16(offsets, x1);
    col[3] = mcunet_sxtab16_ror8(offsets, x1);
    col[4] = __sxtab16(offsets, x2);
    col[5] = mcunet_sxtab16_ror8(offsets, x2);
  }
}

/* Sums of rows w0, w1 (mcunet_filter_pair) against three pixels widened by
 * mcunet_widen_triple_s8: s[p] = w0.a_p, s[3 + p] = w1.a_p. The C counterpart of
 * mcunet_triples_asm's loop, for the channel pairs it does not take. */
static inline void mcunet_dot_3x2_widened(const int32_t* col, const int8_t* w0, const int8_t* w1,
                                          int32_t step, int32_t groups, int32_t s[6]) {
  for (; groups > 0; --groups, w0 += step, w1 += step, col += 6) {
    const int32_t k0 = mcunet_load_i32(w0), k1 = mcunet_load_i32(w1);
    const int32_t k0e = __sxtb16(k0), k0o = mcunet_sxtb16_ror8(k0);
    const int32_t k1e = __sxtb16(k1), k1o = mcunet_sxtb16_ror8(k1);
    for (int32_t p = 0; p < 3; ++p) {
      s[p] = __smlad(k0e, col[2 * p], __smlad(k0o, col[2 * p + 1], s[p]));
      s[3 + p] = __smlad(k1e, col[2 * p], __smlad(k1o, col[2 * p + 1], s[3 + p]));
    }
  }
}

#if defined(__GNUC__)
/* What mcunet_triples_asm reads; it copies the fields to its frame in this order. */
typedef struct {
  const int32_t* multiplier; /* channel oc's, then oc + 1's */
  const int32_t* shift;
  int8_t* out;    /* pixel 0's output channel oc */
  int32_t stride; /* pixels 1 and 2 follow this many bytes apart (0: on pixel 0's) */
  int32_t output_offset;
  const int32_t* col; /* three pixels widened (mcunet_widen_triple_s8), groups x 24 bytes */
  const int8_t* w;    /* channel oc's pair of rows, interleaved (mcunet_filter_pair) */
  const int32_t* bias;
  int32_t entry; /* groups after the first: (groups - 1) % 4, or 4 for none */
  const int32_t* col_end;
  const int8_t* out_end; /* out + 2 x pairs, pairs >= 1 */
} mcunet_triples_job;

/* Every channel pair of three whole pixels (from channel oc to the job's
 * out_end), in assembly (mcunet_dot_asm.c, one copy for the kernels that use it). */
void mcunet_triples_asm(const mcunet_triples_job* job);
/* The same with the rows stored widened to int16 (dsp_layout 3): per group of
 * four values, row oc's even pair, odd pair, then row oc + 1's (16 bytes). */
void mcunet_triples_wide_asm(const mcunet_triples_job* job);
#endif

/* Whether rows stored widened (dsp_layout 3, the generated C's for SIMD32
 * cores) may run: they take the assembly only, which needs a bias, channels
 * in pairs and every multiplier positive with the short requantisation. */
static inline int mcunet_wide_rows_ok(const int32_t* bias, int32_t out_c, int short_requant) {
#if defined(__GNUC__)
  return bias && out_c % 2 == 0 && short_requant == MCUNET_SHORT_POSITIVE;
#else
  (void)bias, (void)out_c, (void)short_requant;
  return 0; /* the assembly needs GNU C */
#endif
}

/* How many channel pairs from channel oc on the assembly takes (positive
 * multipliers): every whole pair when no multiplier is negative
 * (MCUNET_SHORT_POSITIVE), else those before the first negative one. */
static inline int32_t mcunet_positive_pairs(const mcunet_requant* q, int32_t oc, int32_t out_c,
                                            int short_requant) {
  if (short_requant == MCUNET_SHORT_POSITIVE) return (out_c - oc) / 2;
  int32_t pairs = 0;
  while (oc + 2 * pairs + 1 < out_c && q->multiplier[oc + 2 * pairs] >= 0 &&
         q->multiplier[oc + 2 * pairs + 1] >= 0) {
    ++pairs;
  }
  return pairs;
}

/* Every output channel of three whole pixels widened by mcunet_widen_triple_s8
 * (n = 4 * groups values each) with interleaved rows (mcunet_filter_pair), a
 * bias and the short requantisation (`short_requant` from
 * mcunet_requant_is_short, non-zero): runs of channel pairs with positive
 * multipliers in assembly, the others (a negative multiplier, an odd last
 * channel) in C. o0 is pixel 0's output; pixels 1 and 2 follow `stride` bytes
 * apart (0 for one pixel widened three times: its outputs land on one place).
 * Rows stored widened (mcunet_wide_rows_ok) all go to the assembly. */
static inline void mcunet_triples_widened(const int32_t* col, int32_t groups, const int8_t* filter,
                                          const int32_t* bias, int32_t out_c, int32_t stride,
                                          const mcunet_requant* q, int8_t* o0, int short_requant,
                                          int wide_rows) {
  const int32_t n = 4 * groups;
#if !defined(__GNUC__)
  (void)wide_rows;
#endif
  for (int32_t oc = 0; oc < out_c;) {
#if defined(__GNUC__)
    const int32_t pairs =
        wide_rows ? out_c / 2 : mcunet_positive_pairs(q, oc, out_c, short_requant);
    if (pairs > 0) {
      const mcunet_triples_job job = {q->multiplier + oc,
                                      q->shift + oc,
                                      o0 + oc,
                                      stride,
                                      q->output_offset,
                                      col,
                                      filter + (int64_t)oc * n,
                                      bias + oc,
                                      groups > 1 ? (groups - 1) & 3 : 4,
                                      col + 6 * groups,
                                      o0 + oc + 2 * pairs};
      /* Widened rows: every pair from oc = 0. */
      (wide_rows ? mcunet_triples_wide_asm : mcunet_triples_asm)(&job);
      oc += 2 * pairs;
      continue;
    }
#endif
    const int8_t* w1;
    const int32_t step = mcunet_filter_pair(filter, n, oc, out_c, 1, &w1);
    const int pair = oc + 1 < out_c;
    const int32_t b0 = bias[oc], b1 = bias[oc + pair];
    int32_t s[6] = {b0, b0, b0, b1, b1, b1};
    mcunet_dot_3x2_widened(col, filter + (int64_t)oc * n, w1, step, groups, s);
    for (int32_t p = 0; p < 3; ++p) {
      o0[p * stride + oc] = mcunet_short_out(q, s[p], oc);
      if (pair) o0[p * stride + oc + 1] = mcunet_short_out(q, s[3 + p], oc + 1);
    }
    oc += 2;
  }
}

#endif

/* Every output channel of two pixels a0, a1 (rows of n values; a1 == a0 and
 * two == 0 for a last, unpaired pixel): filter rows of n values (interleaved in
 * pairs when `pairs`, mcunet_filter_pair), optional bias, outputs at o0 and
 * o0 + stride (out_c, or wider inside a channel concatenation); with SIMD, requantised the short
 * way when short_requant (mcunet_requant_is_short). */
static inline void mcunet_pixel_pair_s8(const int8_t* a0, const int8_t* a1, int two,
                                        const int8_t* filter, int pairs, const int32_t* bias,
                                        int32_t n, int32_t out_c, int32_t stride, int32_t offset,
                                        const mcunet_requant* q, int8_t* o0, int short_requant) {
#ifndef MCUNET_SIMD32
  (void)short_requant;
#endif
  for (int32_t oc = 0; oc < out_c; oc += 2) {
    const int pair = oc + 1 < out_c;
    const int8_t* w1;
    const int32_t step = mcunet_filter_pair(filter, n, oc, out_c, pairs, &w1);
    const int32_t b0 = bias ? bias[oc] : 0, b1 = bias && pair ? bias[oc + 1] : b0;
    int32_t s[4] = {b0, b0, b1, b1};
    mcunet_dot_2x2(a0, a1, filter + (int64_t)oc * n, w1, step, n, offset, s);
#ifdef MCUNET_SIMD32
    if (short_requant) {
      mcunet_store_2x2_short(q, s, o0, o0 + stride, oc, two, pair);
      continue;
    }
#endif
    mcunet_store_2x2(q, s, o0, o0 + stride, oc, two, pair);
  }
}

#endif /* MCUNET_DOT_H_ */
