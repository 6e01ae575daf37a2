/* PRELU int8 as TF Lite Micro computes it (BroadcastPrelu4DSlow): the offset
 * input, requantised by in/out scale where it is >= 0, and by in * alpha / out
 * after multiplying by the offset alpha where it is negative. Output element i
 * is written after the input's and alpha's elements for it are read. */
#include "mcunet_broadcast.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_prelu_s8(const mcunet_prelu_params* p, const int8_t* input, const int8_t* alpha,
                    int8_t* output) {
  /* |x * alpha| < 2^16: left shifts up to 15 stay inside int32. */
  if (p->identity_shift > 23 || p->alpha_shift > 15) return MCUNET_BAD_PARAMS;
#define MCUNET_PRELU_ELEMENT(i1, i2, o)                                                        \
  {                                                                                            \
    const int32_t x = input[i1] + p->input_offset;                                             \
    const int32_t v = x >= 0 ? mcunet_requantize(x, p->identity_multiplier, p->identity_shift) \
                             : mcunet_requantize(x * (alpha[i2] + p->alpha_offset),            \
                                                 p->alpha_multiplier, p->alpha_shift);         \
    output[o] = (int8_t)mcunet_clamp_i32(v + p->output_offset, -128, 127);                     \
  }
  MCUNET_FOR_EACH_BROADCAST(p, MCUNET_PRELU_ELEMENT);
#undef MCUNET_PRELU_ELEMENT
  return MCUNET_OK;
}
