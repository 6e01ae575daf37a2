/* mcunet_triples_asm and mcunet_triples_wide_asm (mcunet_dot.h): one copy for
 * the 1x1 and k x k kernels, which both run them; the code generator adds this file to a project
 * with either (each names it below). */
#include "mcunet_dot.h"

#if defined(MCUNET_SIMD32) && defined(__GNUC__)
/* clang-format off */
/* Row oc's and row oc + 1's four values of a group as int16 pairs: r8/r9 =
 * oc's even/odd values, r10/r11 = oc + 1's. From interleaved int8 rows (r1,
 * mcunet_filter_pair): one LDRD and four SXTB16. */
#define MCUNET_TRIPLES_WIDEN_ROWS   \
  "ldrd r8, r10, [r1], #8\n\t"      \
  "sxtb16 r9, r8, ror #8\n\t"       \
  "sxtb16 r8, r8\n\t"               \
  "sxtb16 r11, r10, ror #8\n\t"     \
  "sxtb16 r10, r10\n\t"

/* The same from rows stored widened (dsp_layout 3: per group oc's even pair,
 * odd pair, then oc + 1's): one LDM. */
#define MCUNET_TRIPLES_WIDE_ROWS "ldm r1!, {r8-r11}\n\t"

/* One group of four values of three pixels into the six sums: r2..r4 = row oc
 * against pixels 0..2, r5..r7 = row oc + 1; col r0, rows r8..r11 (above). */
#define MCUNET_TRIPLES_PRODUCTS     \
  "ldrd r12, lr, [r0], #8\n\t"    \
  "smlad r2, r8, r12, r2\n\t"     \
  "smlad r2, r9, lr, r2\n\t"      \
  "smlad r5, r10, r12, r5\n\t"    \
  "smlad r5, r11, lr, r5\n\t"     \
  "ldrd r12, lr, [r0], #8\n\t"    \
  "smlad r3, r8, r12, r3\n\t"     \
  "smlad r3, r9, lr, r3\n\t"      \
  "smlad r6, r10, r12, r6\n\t"    \
  "smlad r6, r11, lr, r6\n\t"     \
  "ldrd r12, lr, [r0], #8\n\t"    \
  "smlad r4, r8, r12, r4\n\t"     \
  "smlad r4, r9, lr, r4\n\t"      \
  "smlad r7, r10, r12, r7\n\t"    \
  "smlad r7, r11, lr, r7\n\t"

/* Loads the next channel's multiplier into r10 and e + 1 = -shift - 1 into
 * r11 through the frame's multiplier and shift pointers, which advance; P and
 * Q are free registers. */
#define MCUNET_TRIPLES_CHANNEL(P, Q) \
  "ldm sp, {" P ", " Q "}\n\t"       \
  "ldr r10, [" P "], #4\n\t"         \
  "ldr r11, [" Q "], #4\n\t"         \
  "stm sp, {" P ", " Q "}\n\t"       \
  "mvn r11, r11\n\t"

/* Requantises sum S (mcunet_requantize_down_positive, its rounding shift done
 * by the carry as in depthwise_conv_dm1_s8.c: the SMLAL starts from the nudge
 * +-2^30 of S's sign, r9 = 2^30; floor((H + 2^e) / 2^(e + 1)) of its high word
 * H is H >> (e + 1) plus the last bit shifted out, which ASRS leaves in the
 * carry for ADC to add with the zero point r8), saturates and stores at DST. */
#define MCUNET_TRIPLES_OUT(S, DST)          \
  "asr lr, " S ", #31\n\t"                 \
  "orr r12, r9, lr, lsl #31\n\t"           \
  "smlal r12, lr, " S ", r10\n\t"          \
  "asrs lr, lr, r11\n\t"                   \
  "adcs lr, lr, r8\n\t"                    \
  "ssat lr, #8, lr\n\t"                    \
  "strb lr, " DST "\n\t"

/* The first group of a channel pair: MCUNET_TRIPLES_PRODUCTS with the sums
 * started from the bias (r2 = row oc's, r5 = row oc + 1's) by the multiply-
 * accumulates themselves, pixel 0's last, so that no MOV copies it. */
#define MCUNET_TRIPLES_FIRST_PRODUCTS \
  "ldrd r12, lr, [r0, #8]\n\t"    \
  "smlad r3, r8, r12, r2\n\t"     \
  "smlad r3, r9, lr, r3\n\t"      \
  "smlad r6, r10, r12, r5\n\t"    \
  "smlad r6, r11, lr, r6\n\t"     \
  "ldrd r12, lr, [r0, #16]\n\t"   \
  "smlad r4, r8, r12, r2\n\t"     \
  "smlad r4, r9, lr, r4\n\t"      \
  "smlad r7, r10, r12, r5\n\t"    \
  "smlad r7, r11, lr, r7\n\t"     \
  "ldrd r12, lr, [r0], #24\n\t"   \
  "smlad r2, r8, r12, r2\n\t"     \
  "smlad r2, r9, lr, r2\n\t"      \
  "smlad r5, r10, r12, r5\n\t"    \
  "smlad r5, r11, lr, r5\n\t"

/* clang-format on */

/* Every channel pair of three whole pixels (from channel oc to the job's
 * out_end) with a bias and the short requantisation with positive multipliers
 * (MCUNET_SHORT_POSITIVE): six sums per pair held in registers over the
 * groups, then six outputs. Two entries, one body: mcunet_triples_asm for rows
 * interleaved in int8 (dsp_layout 1: 20 instructions for 24 multiply-
 * accumulates), mcunet_triples_wide_asm for rows stored widened (dsp_layout 3,
 * twice the Flash: 16). Each keeps its group loop's address in the frame, and
 * the set-up and the requantisation are shared, so that a project with both
 * holds one copy of them. The loop needs all fourteen free registers (its end
 * is checked against the frame, once per four groups: TBB enters the loop of
 * the groups after the first at their count % 4 from its end, or past it); the
 * rest of the state lives in the frame. Naked: nothing but the assembly, which
 * clang requires as well. */
__attribute__((naked, noinline)) void mcunet_triples_asm(const mcunet_triples_job* job
                                                         __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "adr r12, 10f\n\t"
      "b 8f\n\t"
      ".global mcunet_triples_wide_asm\n\t"
      ".type mcunet_triples_wide_asm, %function\n\t"
      ".thumb_func\n\t"
      "mcunet_triples_wide_asm:\n\t"
      "push {r4-r11, lr}\n\t"
      "adr r12, 11f\n\t"
      "8:\n\t"
      "orr r12, r12, #1\n\t" /* a Thumb address for LDR PC */
      "ldm r0, {r1-r11}\n\t"
      "push {r1-r12}\n\t" /* sp: multiplier, shift, out, stride, zero point, col, w, bias, entry, col_end, out_end, loop */
      "1:\n\t"
      "add r12, sp, #20\n\t"
      "ldm r12, {r0, r1, r8}\n\t" /* col, w, bias */
      "ldrd r2, r5, [r8], #8\n\t"
      "str r8, [sp, #28]\n\t"
      "ldr pc, [sp, #44]\n\t"
      /* int8 rows */
      ".balign 4\n\t"
      "10:\n\t"
      MCUNET_TRIPLES_WIDEN_ROWS MCUNET_TRIPLES_FIRST_PRODUCTS
      "ldr r12, [sp, #32]\n\t"
      "tbb [pc, r12]\n\t"
      "4:\n\t"
      ".byte (2f - 4b) / 2, (7f - 4b) / 2, (6f - 4b) / 2, (5f - 4b) / 2, (3f - 4b) / 2, 0\n\t"
      "2:\n\t" MCUNET_TRIPLES_WIDEN_ROWS MCUNET_TRIPLES_PRODUCTS
      "5:\n\t" MCUNET_TRIPLES_WIDEN_ROWS MCUNET_TRIPLES_PRODUCTS
      "6:\n\t" MCUNET_TRIPLES_WIDEN_ROWS MCUNET_TRIPLES_PRODUCTS
      "7:\n\t" MCUNET_TRIPLES_WIDEN_ROWS MCUNET_TRIPLES_PRODUCTS
      "ldr r12, [sp, #36]\n\t"
      "cmp r0, r12\n\t"
      "bne 2b\n\t"
      "3:\n\t"
      "b 9f\n\t"
      /* rows stored widened */
      ".balign 4\n\t"
      "11:\n\t"
      MCUNET_TRIPLES_WIDE_ROWS MCUNET_TRIPLES_FIRST_PRODUCTS
      "ldr r12, [sp, #32]\n\t"
      "tbb [pc, r12]\n\t"
      "4:\n\t"
      ".byte (2f - 4b) / 2, (7f - 4b) / 2, (6f - 4b) / 2, (5f - 4b) / 2, (9f - 4b) / 2, 0\n\t"
      "2:\n\t" MCUNET_TRIPLES_WIDE_ROWS MCUNET_TRIPLES_PRODUCTS
      "5:\n\t" MCUNET_TRIPLES_WIDE_ROWS MCUNET_TRIPLES_PRODUCTS
      "6:\n\t" MCUNET_TRIPLES_WIDE_ROWS MCUNET_TRIPLES_PRODUCTS
      "7:\n\t" MCUNET_TRIPLES_WIDE_ROWS MCUNET_TRIPLES_PRODUCTS
      "ldr r12, [sp, #36]\n\t"
      "cmp r0, r12\n\t"
      "bne 2b\n\t"
      /* both: the pair's six outputs */
      "9:\n\t"
      "str r1, [sp, #24]\n\t" /* the next pair's rows start where these ended */
      MCUNET_TRIPLES_CHANNEL("r0", "r1")
      "mov r9, #0x40000000\n\t"
      "add r12, sp, #8\n\t"
      "ldm r12, {r0, r1, r8}\n\t" /* out, stride, zero point */
      MCUNET_TRIPLES_OUT("r3", "[r0, r1]") MCUNET_TRIPLES_OUT("r4", "[r0, r1, lsl #1]")
      MCUNET_TRIPLES_OUT("r2", "[r0], #1")
      MCUNET_TRIPLES_CHANNEL("r2", "r3")
      MCUNET_TRIPLES_OUT("r6", "[r0, r1]") MCUNET_TRIPLES_OUT("r7", "[r0, r1, lsl #1]")
      MCUNET_TRIPLES_OUT("r5", "[r0], #1")
      "str r0, [sp, #8]\n\t"
      "ldr r12, [sp, #40]\n\t"
      "cmp r0, r12\n\t"
      "bne 1b\n\t"
      "add sp, sp, #48\n\t"
      "pop {r4-r11, pc}\n\t");
}
#else
typedef int mcunet_dot_asm_unused; /* ISO C: a translation unit declares something */
#endif
