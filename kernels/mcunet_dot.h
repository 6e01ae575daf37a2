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

/* Sums of filter rows w0, w1 against pixels a0, a1 (the input offset added to
 * every input value): s[0] = w0.a0, s[1] = w0.a1, s[2] = w1.a0, s[3] = w1.a1. */
static inline void mcunet_dot_2x2(const int8_t* a0, const int8_t* a1, const int8_t* w0,
                                  const int8_t* w1, int32_t n, int32_t offset, int32_t s[4]) {
  int32_t s00 = s[0], s01 = s[1], s10 = s[2], s11 = s[3];
  int32_t i = 0;
#ifdef MCUNET_SIMD32
  const int32_t offsets = mcunet_dup16(offset);
  for (; i + 4 <= n; i += 4) {
    const int32_t x0 = mcunet_load_i32(a0 + i), x1 = mcunet_load_i32(a1 + i);
    const int32_t k0 = mcunet_load_i32(w0 + i), k1 = mcunet_load_i32(w1 + i);
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
#endif
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
/* mcunet_store_2x2 for a layer that takes the short requantisation
 * (mcunet_requant_is_short): one SMLAL per output, SSAT as the clamp. */
static inline void mcunet_store_2x2_short(const mcunet_requant* q, const int32_t s[4], int8_t* o0,
                                          int8_t* o1, int32_t oc, int two, int pair) {
  /* |v| < 2^30 (shift <= -2), so v + zero point cannot overflow; SSAT clamps. */
  const int32_t off = q->output_offset;
  const int32_t m0 = q->multiplier[oc], e0 = -q->shift[oc] - 2;
  o0[oc] = (int8_t)__ssat(mcunet_requantize_down_fast(s[0], m0, e0) + off, 8);
  if (two) o1[oc] = (int8_t)__ssat(mcunet_requantize_down_fast(s[1], m0, e0) + off, 8);
  if (pair) {
    const int32_t m1 = q->multiplier[oc + 1], e1 = -q->shift[oc + 1] - 2;
    o0[oc + 1] = (int8_t)__ssat(mcunet_requantize_down_fast(s[2], m1, e1) + off, 8);
    if (two) o1[oc + 1] = (int8_t)__ssat(mcunet_requantize_down_fast(s[3], m1, e1) + off, 8);
  }
}

/* The first `groups` groups of four values of two pixels, widened once to int16
 * pairs with the input offset added, so that the product over every output
 * channel pair reads them ready: per group the words a0 even, a0 odd, a1 even,
 * a1 odd (two LDRDs). `col` is word-aligned, 16 bytes per group. */
static inline void mcunet_widen_pair_s8(const int8_t* a0, const int8_t* a1, int32_t groups,
                                        int32_t offset, int32_t* col) {
  const int32_t offsets = mcunet_dup16(offset);
  for (int32_t g = 0; g < groups; ++g, a0 += 4, a1 += 4, col += 4) {
    const int32_t x0 = mcunet_load_i32(a0), x1 = mcunet_load_i32(a1);
    col[0] = __sxtab16(offsets, x0);
    col[1] = mcunet_sxtab16_ror8(offsets, x0);
    col[2] = __sxtab16(offsets, x1);
    col[3] = mcunet_sxtab16_ror8(offsets, x1);
  }
}

/* One group of mcunet_dot_2x2_widened: 16 multiply-accumulates in 16
 * instructions. Written out because GCC, left to itself, spills a pointer of
 * this 13-register loop to the stack and splits the LDRDs. */
#define MCUNET_DOT_WIDENED_GROUP            \
  "ldrd %[x0e], %[x0o], [%[col]], #8\n\t"   \
  "ldrd %[x1e], %[x1o], [%[col]], #8\n\t"   \
  "ldr %[k], [%[w0]], #4\n\t"               \
  "sxtb16 %[ko], %[k], ror #8\n\t"          \
  "sxtb16 %[k], %[k]\n\t"                   \
  "smlad %[s00], %[k], %[x0e], %[s00]\n\t"  \
  "smlad %[s00], %[ko], %[x0o], %[s00]\n\t" \
  "smlad %[s01], %[k], %[x1e], %[s01]\n\t"  \
  "smlad %[s01], %[ko], %[x1o], %[s01]\n\t" \
  "ldr %[k], [%[w1]], #4\n\t"               \
  "sxtb16 %[ko], %[k], ror #8\n\t"          \
  "sxtb16 %[k], %[k]\n\t"                   \
  "smlad %[s10], %[k], %[x0e], %[s10]\n\t"  \
  "smlad %[s10], %[ko], %[x0o], %[s10]\n\t" \
  "smlad %[s11], %[k], %[x1e], %[s11]\n\t"  \
  "smlad %[s11], %[ko], %[x1o], %[s11]\n\t"

#define MCUNET_DOT_WIDENED_OPERANDS                                                         \
  : [col] "+r"(col), [w0] "+r"(w0), [w1] "+r"(w1), [s00] "+r"(s00), [s01] "+r"(s01),         \
    [s10] "+r"(s10), [s11] "+r"(s11), [x0e] "=&r"(x0e), [x0o] "=&r"(x0o), [x1e] "=&r"(x1e), \
    [x1o] "=&r"(x1o), [k] "=&r"(k), [ko] "=&r"(ko)                                          \
  :                                                                                          \
  : "memory"

/* mcunet_dot_2x2 over `groups` groups already widened by mcunet_widen_pair_s8;
 * w0 and w1 advance past them. */
static inline void mcunet_dot_2x2_widened(const int32_t* col, const int8_t* w0, const int8_t* w1,
                                          int32_t groups, int32_t s[4]) {
  int32_t s00 = s[0], s01 = s[1], s10 = s[2], s11 = s[3];
  int32_t x0e, x0o, x1e, x1o, k, ko;
  for (; groups >= 2; groups -= 2) {
    __asm__ volatile(MCUNET_DOT_WIDENED_GROUP MCUNET_DOT_WIDENED_GROUP MCUNET_DOT_WIDENED_OPERANDS);
  }
  if (groups) __asm__ volatile(MCUNET_DOT_WIDENED_GROUP MCUNET_DOT_WIDENED_OPERANDS);
  s[0] = s00, s[1] = s01, s[2] = s10, s[3] = s11;
}

#if defined(__GNUC__)
/* What mcunet_pairs_asm reads; it copies the fields to its frame in this order. */
typedef struct {
  const int32_t* multiplier; /* channel oc's, then oc + 1's */
  const int32_t* shift;
  int8_t* o0; /* pixel 0's output channel oc */
  int8_t* o1; /* pixel 1's */
  int32_t output_offset;
  const int32_t* col; /* the pair widened (mcunet_widen_pair_s8), groups x 16 bytes */
  const int8_t* w;    /* filter row oc; row oc + 1 follows, n bytes on */
  const int32_t* bias;
  int32_t n, groups, pairs; /* n = 4 x groups, groups >= 1, pairs >= 1 */
} mcunet_pairs_job;

/* clang-format off */
/* One group of four values into the four sums (r5 = w0.a0, r6 = w0.a1,
 * r7 = w1.a0, r8 = w1.a1): col r0, filter rows r1 and r2. */
#define MCUNET_PAIRS_GROUP       \
  "ldrd r3, r4, [r0], #8\n\t"    \
  "ldrd r9, r10, [r0], #8\n\t"   \
  "ldr r11, [r1], #4\n\t"        \
  "sxtb16 r12, r11, ror #8\n\t"  \
  "sxtb16 r11, r11\n\t"          \
  "smlad r5, r11, r3, r5\n\t"    \
  "smlad r5, r12, r4, r5\n\t"    \
  "smlad r6, r11, r9, r6\n\t"    \
  "smlad r6, r12, r10, r6\n\t"   \
  "ldr r11, [r2], #4\n\t"        \
  "sxtb16 r12, r11, ror #8\n\t"  \
  "sxtb16 r11, r11\n\t"          \
  "smlad r7, r11, r3, r7\n\t"    \
  "smlad r7, r12, r4, r7\n\t"    \
  "smlad r8, r11, r9, r8\n\t"    \
  "smlad r8, r12, r10, r8\n\t"

/* Requantises sum S with multiplier r9, e + 1 = -shift - 1 in r10 and
 * 2^(e + 1) in r11 (mcunet_requantize_down_positive: the SMLAL's high word
 * starts at the sign plus 2^e), adds the zero point r4, saturates, stores. */
#define MCUNET_PAIRS_OUT(S, DST)      \
  "asr r12, " S ", #31\n\t"           \
  "add lr, r12, r11, lsr #1\n\t"      \
  "lsl r12, r12, #31\n\t"             \
  "add r12, r12, #0x40000000\n\t"     \
  "smlal r12, lr, " S ", r9\n\t"      \
  "asr lr, lr, r10\n\t"               \
  "add lr, lr, r4\n\t"                \
  "ssat lr, #8, lr\n\t"               \
  "strb lr, " DST "\n\t"

/* Loads channel parameters: multiplier r9, e + 1 in r10, 2^(e + 1) in r11. */
#define MCUNET_PAIRS_CHANNEL    \
  "ldr r9, [r0], #4\n\t"        \
  "ldr r10, [r1], #4\n\t"       \
  "mvn r10, r10\n\t"            \
  "mov r11, #1\n\t"             \
  "lsl r11, r11, r10\n\t"

/* clang-format on */

/* mcunet_pairs_widened for `pairs` whole channel pairs of a whole pixel pair,
 * with a bias, whole groups and the short requantisation with positive
 * multipliers (MCUNET_SHORT_POSITIVE): the same sums and outputs, in assembly
 * because the dot product's 14 live registers leave the compiler none for the
 * channel loop, which it then spilled around every block. The job (r0) is
 * copied to the frame; the loop keeps its pointers there and loads them with
 * LDM. Naked: nothing but the assembly, which clang requires as well. */
__attribute__((naked, noinline)) static void mcunet_pairs_asm(const mcunet_pairs_job* job
                                                              __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "ldm r0, {r1-r11}\n\t"
      "push {r1-r11}\n\t" /* sp: multiplier, shift, o0, o1, zero point, col, w, bias, n, groups, pairs */
      "1:\n\t"
      "add r12, sp, #20\n\t"
      "ldm r12, {r0, r1, r3, r4, lr}\n\t" /* col, w, bias, n, groups */
      "ldrd r5, r7, [r3], #8\n\t"
      "str r3, [sp, #28]\n\t"
      "add r2, r1, r4\n\t"
      "mov r6, r5\n\t"
      "mov r8, r7\n\t"
      "tst lr, #1\n\t"
      "beq 2f\n\t" MCUNET_PAIRS_GROUP
      "2:\n\t"
      "lsrs lr, lr, #1\n\t"
      "beq 4f\n\t"
      "3:\n\t" MCUNET_PAIRS_GROUP MCUNET_PAIRS_GROUP
      "subs lr, lr, #1\n\t"
      "bne 3b\n\t"
      "4:\n\t"
      "str r2, [sp, #24]\n\t" /* row oc + 2 starts where row oc + 1 ended */
      "ldm sp, {r0-r4}\n\t"   /* multiplier, shift, o0, o1, zero point */
      MCUNET_PAIRS_CHANNEL MCUNET_PAIRS_OUT("r5", "[r2], #1") MCUNET_PAIRS_OUT("r6", "[r3], #1")
      MCUNET_PAIRS_CHANNEL MCUNET_PAIRS_OUT("r7", "[r2], #1") MCUNET_PAIRS_OUT("r8", "[r3], #1")
      "stm sp, {r0-r3}\n\t"
      "ldr r12, [sp, #40]\n\t"
      "subs r12, r12, #1\n\t"
      "str r12, [sp, #40]\n\t"
      "bne 1b\n\t"
      "add sp, sp, #44\n\t"
      "pop {r4-r11, pc}\n\t");
}
#endif

#ifdef MCUNET_DOT_MIXED_SIGNS
/* mcunet_pairs_widened's whole pixel pair, whole groups and short
 * requantisation where a few channels have negative multipliers (converted
 * models' 1x1 layers): each run of channel pairs up to one with a negative
 * multiplier in assembly, that pair in C. Out of line, so that the common
 * case's loop stays as the compiler allocates it without this one; only the
 * kernels that define MCUNET_DOT_MIXED_SIGNS carry it (code size). */
__attribute__((noinline)) static void mcunet_pairs_mixed(const int32_t* col, int32_t groups,
                                                         const int8_t* filter, const int32_t* bias,
                                                         int32_t n, int32_t out_c,
                                                         const mcunet_requant* q, int8_t* o0) {
  int8_t* o1 = o0 + out_c;
  for (int32_t oc = 0; oc < out_c;) {
    int32_t pairs = 0;
    while (oc + 2 * pairs + 1 < out_c && q->multiplier[oc + 2 * pairs] >= 0 &&
           q->multiplier[oc + 2 * pairs + 1] >= 0) {
      ++pairs;
    }
    if (pairs > 0) {
      const mcunet_pairs_job job = {q->multiplier + oc,
                                    q->shift + oc,
                                    o0 + oc,
                                    o1 + oc,
                                    q->output_offset,
                                    col,
                                    filter + (int64_t)oc * n,
                                    bias + oc,
                                    n,
                                    groups,
                                    pairs};
      mcunet_pairs_asm(&job);
      oc += 2 * pairs;
      continue;
    }
    const int pair = oc + 1 < out_c;
    const int8_t* w0 = filter + (int64_t)oc * n;
    int32_t s[4] = {bias[oc], bias[oc], bias[oc + pair], bias[oc + pair]};
    mcunet_dot_2x2_widened(col, w0, pair ? w0 + n : w0, groups, s);
    mcunet_store_2x2_short(q, s, o0, o1, oc, 1, pair);
    oc += 2;
  }
}
#endif

/* Every output channel pair of two pixels whose first 4 * groups values are
 * widened in col (mcunet_widen_pair_s8's layout), each one
 * mcunet_dot_2x2_widened, the n - 4 * groups last values from the int8 rows
 * a0, a1, then its four requantisations. */
static inline void mcunet_pairs_widened(const int32_t* col, int32_t groups, const int8_t* a0,
                                        const int8_t* a1, int two, const int8_t* filter,
                                        const int32_t* bias, int32_t n, int32_t out_c,
                                        int32_t offset, const mcunet_requant* q, int8_t* o0,
                                        int short_requant) {
  const int32_t done = 4 * groups;
  int8_t* o1 = o0 + out_c;
  const int8_t* w0 = filter;
  int32_t oc = 0;
#if defined(__GNUC__)
  if (short_requant == MCUNET_SHORT_POSITIVE && two && bias && n == done && groups > 0 &&
      out_c >= 2) {
    const mcunet_pairs_job job = {q->multiplier, q->shift, o0, o1,     q->output_offset, col,
                                  filter,        bias,     n,  groups, out_c / 2};
    mcunet_pairs_asm(&job);
    oc = out_c & ~1;
    w0 += (int64_t)oc * n;
  }
#ifdef MCUNET_DOT_MIXED_SIGNS
  else if (short_requant && two && bias && n == done && groups > 0) {
    mcunet_pairs_mixed(col, groups, filter, bias, n, out_c, q, o0);
    return;
  }
#endif
#endif
  for (; oc < out_c; oc += 2, w0 += 2 * n) {
    const int pair = oc + 1 < out_c;
    const int8_t* w1 = pair ? w0 + n : w0;
    const int32_t b0 = bias ? bias[oc] : 0, b1 = bias && pair ? bias[oc + 1] : b0;
    int32_t s[4] = {b0, b0, b1, b1};
    mcunet_dot_2x2_widened(col, w0, w1, groups, s);
    if (n > done) mcunet_dot_2x2(a0 + done, a1 + done, w0 + done, w1 + done, n - done, offset, s);
    if (!short_requant) {
      mcunet_store_2x2(q, s, o0, o1, oc, two, pair);
      continue;
    }
    /* mcunet_store_2x2_short written out: through the helper, GCC allocates this
     * hot loop's registers worse (1-2 % more instructions on M7).
     * |v| < 2^30 (shift <= -2), so v + zero point cannot overflow; SSAT clamps. */
    const int32_t off = q->output_offset;
    const int32_t m0 = q->multiplier[oc], e0 = -q->shift[oc] - 2;
    o0[oc] = (int8_t)__ssat(mcunet_requantize_down_fast(s[0], m0, e0) + off, 8);
    if (two) o1[oc] = (int8_t)__ssat(mcunet_requantize_down_fast(s[1], m0, e0) + off, 8);
    if (pair) {
      const int32_t m1 = q->multiplier[oc + 1], e1 = -q->shift[oc + 1] - 2;
      o0[oc + 1] = (int8_t)__ssat(mcunet_requantize_down_fast(s[2], m1, e1) + off, 8);
      if (two) o1[oc + 1] = (int8_t)__ssat(mcunet_requantize_down_fast(s[3], m1, e1) + off, 8);
    }
  }
}
#endif

/* Every output channel of two pixels a0, a1 (rows of n values; a1 == a0 and
 * two == 0 for a last, unpaired pixel): filter rows of n values, optional
 * bias, outputs at o0 and o0 + out_c. `col` (NULL: none) is word-aligned
 * scratch of 4 * (n / 4) int32 for the SIMD path; with SIMD, both paths
 * requantise the short way when short_requant (mcunet_requant_is_short). */
static inline void mcunet_pixel_pair_s8(const int8_t* a0, const int8_t* a1, int two,
                                        const int8_t* filter, const int32_t* bias, int32_t n,
                                        int32_t out_c, int32_t offset, const mcunet_requant* q,
                                        int8_t* o0, int32_t* col, int short_requant) {
#ifdef MCUNET_SIMD32
  if (col) {
    mcunet_widen_pair_s8(a0, a1, n / 4, offset, col);
    mcunet_pairs_widened(col, n / 4, a0, a1, two, filter, bias, n, out_c, offset, q, o0,
                         short_requant);
    return;
  }
#else
  (void)col, (void)short_requant;
#endif
  for (int32_t oc = 0; oc < out_c; oc += 2) {
    const int pair = oc + 1 < out_c;
    const int8_t* w0 = filter + (int64_t)oc * n;
    const int8_t* w1 = pair ? w0 + n : w0;
    const int32_t b0 = bias ? bias[oc] : 0, b1 = bias && pair ? bias[oc + 1] : b0;
    int32_t s[4] = {b0, b0, b1, b1};
    mcunet_dot_2x2(a0, a1, w0, w1, n, offset, s);
#ifdef MCUNET_SIMD32
    if (short_requant) {
      mcunet_store_2x2_short(q, s, o0, o0 + out_c, oc, two, pair);
      continue;
    }
#endif
    mcunet_store_2x2(q, s, o0, o0 + out_c, oc, two, pair);
  }
}

#endif /* MCUNET_DOT_H_ */
