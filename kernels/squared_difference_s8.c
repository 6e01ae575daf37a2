/* SQUARED_DIFFERENCE int8 as TF Lite Micro computes it (mcunet_add_params with
 * left_shift 7): the offset inputs shifted left, scaled to a common scale by Q31
 * multipliers below one, the difference squared (|d| <= 2^15, so the square
 * fits int32) and requantised by a multiplier of any sign of shift. Output
 * element i is written after both inputs' elements for it are read. */
#include "mcunet_broadcast.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static inline int32_t scale_below_one(int32_t x, int32_t multiplier, int32_t shift) {
  return mcunet_rounding_divide_by_pot(mcunet_srdhm(x, multiplier), -shift);
}

int mcunet_squared_difference_s8(const mcunet_add_params* p, const int8_t* input1,
                                 const int8_t* input2, int8_t* output) {
  /* d * d < 2^30: a left shift of 1 stays inside int32. */
  if (p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 1) return MCUNET_BAD_PARAMS;
#define MCUNET_SQDIFF_ELEMENT(i1, i2, o)                                                       \
  {                                                                                            \
    const int32_t s1 = scale_below_one((input1[i1] + p->input1_offset) * (1 << p->left_shift), \
                                       p->input1_multiplier, p->input1_shift);                 \
    const int32_t s2 = scale_below_one((input2[i2] + p->input2_offset) * (1 << p->left_shift), \
                                       p->input2_multiplier, p->input2_shift);                 \
    const int32_t d = s1 - s2;                                                                 \
    output[o] = mcunet_requantize_to_int8(d * d, p->output_multiplier, p->output_shift,        \
                                          p->output_offset, p->act_min, p->act_max);           \
  }
  MCUNET_FOR_EACH_BROADCAST(p, MCUNET_SQDIFF_ELEMENT);
#undef MCUNET_SQDIFF_ELEMENT
  return MCUNET_OK;
}
