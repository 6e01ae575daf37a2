/* CONV_2D int8, 1x1 filter, stride 1, one group: a matrix product over pixels,
 * blocked so that each loaded input and weight feeds several
 * multiply-accumulates (mcunet_dot.h). With SIMD, channels in whole groups of
 * four, filter rows interleaved in pairs (p->dsp_layout 1; 3: stored widened
 * to int16, which the assembly reads without widening them), a bias and the
 * short requantisation: three pixels widened to int16 once for all output
 * channels, then three pixels x two output channels at a time (the first one or
 * two pixels one at a time). Otherwise two pixels x two output channels. The
 * int32 sums are exact, so the result is the reference kernel's, bit for bit.
 *
 * Scratch (word-aligned, part of the memory plan) when p->widen: 6 x in_c bytes
 * for the three widened pixels (the compiler's choice where those bytes do not
 * raise the arena; in_c a multiple of 4). Without it, none is planned, and
 * layers of up to MCUNET_STACK_WIDEN_MAX channels widen on the stack.
 *
 * In-place: a block reads its input pixels while it writes their outputs; the
 * op's in-place rule (ops/conv_common.cc) is that of pixel pairs, and the
 * blocks of three run only where they are as safe (mcunet_conv1x1_threes_fit).
 *
 * mcunet: needs mcunet_dot_asm.c */
#include "mcunet_dot.h"
#include <stddef.h>

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

#define MCUNET_STACK_WIDEN_MAX 32 /* input channels */


/* Both entries: output pixels `stride` values apart. Not inlined into them, so
 * that a project taking both holds it once. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
mcunet_conv1x1_rows(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                    const int32_t* bias, int8_t* output, int8_t* scratch, int32_t stride) {
  if (p->k_h != 1 || p->k_w != 1 || p->stride_h != 1 || p->stride_w != 1 ||
      p->filter_in_c != p->in_c || p->out_h != p->in_h || p->out_w != p->in_w ||
      (p->dsp_layout && p->in_c % 4 != 0) || stride < p->out_c) {
    return MCUNET_BAD_PARAMS;
  }
  /* Locals, not p->...: the int8 output stores could alias *p as far as the
   * compiler knows, and would force every field to be reloaded per output. */
  const int32_t n = p->in_c, out_c = p->out_c, offset = p->input_offset;
#ifdef MCUNET_SIMD32
  const int pairs = p->dsp_layout != 0;
#else
  const int pairs = 0; /* the generated C interleaves for SIMD32 cores only */
#endif
  const mcunet_requant q = {p->multiplier, p->shift, p->output_offset, p->act_min, p->act_max};
  const int32_t pixels = p->batches * p->out_h * p->out_w;
  const int short_requant = mcunet_requant_is_short(&q, out_c);
  int32_t px = 0;
#ifdef MCUNET_SIMD32
  /* Without planned scratch (the compact variant), narrow layers widen on the
   * stack: 6 x MCUNET_STACK_WIDEN_MAX bytes, not the arena's. */
  int32_t stack_col[6 * MCUNET_STACK_WIDEN_MAX / 4];
  int32_t* const col = p->widen && scratch           ? (int32_t*)(void*)scratch
                       : n <= MCUNET_STACK_WIDEN_MAX ? stack_col
                                                     : NULL;
  /* Rows stored widened run here or nowhere: the compiler stores them so only
   * where this path runs (ops/conv_common.cc). */
  const int wide_rows = p->dsp_layout == 3;
  const int threes = col && pairs && bias && short_requant &&
                     /* A strided output is a view, which never shares the input's bytes. */
                     (stride != out_c ||
                      mcunet_conv1x1_threes_fit((intptr_t)input - (intptr_t)output, pixels, n, out_c));
  if (wide_rows && !(threes && mcunet_wide_rows_ok(bias, out_c, short_requant))) {
    return MCUNET_BAD_PARAMS;
  }
  if (threes) {
    while (px < pixels) {
      /* Three pixels at a time, after the first pixels % 3 one at a time (each
       * widened three times, its outputs written three times over): first, so
       * that no block ends later than a pixel pair would, and the in-place
       * offset of pairs holds (ops/conv_common.cc). */
      const int whole = px >= pixels % 3;
      mcunet_widen_triple_s8(input + (int64_t)px * n, whole ? n : 0, n / 4, offset, col);
      mcunet_triples_widened(col, n / 4, filter, bias, out_c, whole ? stride : 0, &q,
                             output + (int64_t)px * stride, short_requant, wide_rows);
      px += whole ? 3 : 1;
    }
  }
#else
  (void)scratch;
#endif
  for (; px < pixels; px += 2) {
    /* The last pixel of an odd count pairs with itself; only one is written. */
    const int two = px + 1 < pixels;
    const int8_t* a0 = input + (int64_t)px * n;
    const int8_t* a1 = two ? a0 + n : a0;
    mcunet_pixel_pair_s8(a0, a1, two, filter, pairs, bias, n, out_c, stride, offset, &q,
                         output + (int64_t)px * stride, short_requant);
  }
  return MCUNET_OK;
}

int mcunet_conv1x1_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                      const int32_t* bias, int8_t* output, int8_t* scratch) {
  return mcunet_conv1x1_rows(p, input, filter, bias, output, scratch, p->out_c);
}

int mcunet_conv1x1_strided_s8(const mcunet_conv_params* p, const int8_t* input,
                              const int8_t* filter, const int32_t* bias, int8_t* output,
                              int8_t* scratch, int32_t out_stride) {
  return mcunet_conv1x1_rows(p, input, filter, bias, output, scratch, out_stride);
}
