/* CONV_2D int8, 1x1 filter, stride 1, one group: a matrix product over pixels,
 * blocked over two pixels x two output channels so that each loaded input and
 * weight feeds two multiply-accumulates (mcunet_dot.h). The int32 sums are
 * exact, so the result is the reference kernel's, bit for bit.
 *
 * Scratch (word-aligned, part of the memory plan) when p->widen: 4 x (in_c
 * rounded down to a multiple of 4) bytes, where the SIMD path widens each pixel
 * pair to int16 once for all output channels; without SIMD it is not used, and
 * without widen (the compiler's choice where the bytes would raise the arena)
 * none is planned and the products widen as they go.
 *
 * In-place: a block reads its two input pixels while it writes their outputs;
 * the op's in-place rule (ops/conv_2d.cc) counts the block as one step. */
/* Runs of channel pairs between negative multipliers in assembly too. */
#define MCUNET_DOT_MIXED_SIGNS
#include "mcunet_dot.h"
#include <stddef.h>

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_conv1x1_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                      const int32_t* bias, int8_t* output, int8_t* scratch) {
  if (p->k_h != 1 || p->k_w != 1 || p->stride_h != 1 || p->stride_w != 1 ||
      p->filter_in_c != p->in_c || p->out_h != p->in_h || p->out_w != p->in_w) {
    return MCUNET_BAD_PARAMS;
  }
  /* Locals, not p->...: the int8 output stores could alias *p as far as the
   * compiler knows, and would force every field to be reloaded per output. */
  const int32_t n = p->in_c, out_c = p->out_c, offset = p->input_offset;
  const mcunet_requant q = {p->multiplier, p->shift, p->output_offset, p->act_min, p->act_max};
  const int32_t pixels = p->batches * p->out_h * p->out_w;
  const int short_requant = mcunet_requant_is_short(&q, out_c);
  int32_t* const col = p->widen && scratch ? (int32_t*)(void*)scratch : NULL;
  for (int32_t px = 0; px < pixels; px += 2) {
    /* The last pixel of an odd count pairs with itself; only one is written. */
    const int two = px + 1 < pixels;
    const int8_t* a0 = input + (int64_t)px * n;
    const int8_t* a1 = two ? a0 + n : a0;
    mcunet_pixel_pair_s8(a0, a1, two, filter, bias, n, out_c, offset, &q,
                         output + (int64_t)px * out_c, col, short_requant);
  }
  return MCUNET_OK;
}
