/* SUB int8 (TFLite's ADD scheme, mcunet_add_params): both offset inputs shifted
 * left by left_shift, scaled to a common scale by Q31 multipliers below one, the
 * second subtracted, the difference scaled to the output. Output element i is
 * written after both inputs' elements for it are read. */
#include "mcunet_broadcast.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static inline int32_t scale_below_one(int32_t x, int32_t multiplier, int32_t shift) {
  return mcunet_rounding_divide_by_pot(mcunet_srdhm(x, multiplier), -shift);
}

int mcunet_sub_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output) {
  if (p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0) return MCUNET_BAD_PARAMS;
#define MCUNET_SUB_ELEMENT(i1, i2, o)                                                          \
  {                                                                                            \
    const int32_t s1 = scale_below_one((input1[i1] + p->input1_offset) * (1 << p->left_shift), \
                                       p->input1_multiplier, p->input1_shift);                 \
    const int32_t s2 = scale_below_one((input2[i2] + p->input2_offset) * (1 << p->left_shift), \
                                       p->input2_multiplier, p->input2_shift);                 \
    const int32_t v =                                                                          \
        scale_below_one(s1 - s2, p->output_multiplier, p->output_shift) + p->output_offset;    \
    output[o] = (int8_t)mcunet_clamp_i32(v, p->act_min, p->act_max);                           \
  }
  MCUNET_FOR_EACH_BROADCAST(p, MCUNET_SUB_ELEMENT);
#undef MCUNET_SUB_ELEMENT
  return MCUNET_OK;
}
