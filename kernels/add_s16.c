/* ADD int16 (TFLite's general scheme, mcunet_add_params, left_shift 15): both
 * offset inputs shifted left by left_shift, scaled to a common scale by Q31
 * multipliers below one, summed, the sum scaled to the output and clamped. TF
 * Lite Micro runs this for every int16 ADD (it never takes TFLite's
 * power-of-two path). With inputs within 16 bits, x * 2^15 stays below 2^31 and
 * each scaled input below 2^30, so the int32 sum cannot overflow.
 * Order: output element i is written after both inputs' elements for it are
 * read. */
#include "mcunet_broadcast.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static inline int32_t scale_below_one(int32_t x, int32_t multiplier, int32_t shift) {
  return mcunet_rounding_divide_by_pot(mcunet_srdhm(x, multiplier), -shift);
}

int mcunet_add_s16(const mcunet_add_params* p, const int16_t* input1, const int16_t* input2,
                   int16_t* output) {
  if (p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0 || p->left_shift > 15) {
    return MCUNET_BAD_PARAMS;
  }
#define MCUNET_ADD16_ELEMENT(i1, i2, o)                                                        \
  {                                                                                            \
    const int32_t s1 = scale_below_one((input1[i1] + p->input1_offset) * (1 << p->left_shift), \
                                       p->input1_multiplier, p->input1_shift);                 \
    const int32_t s2 = scale_below_one((input2[i2] + p->input2_offset) * (1 << p->left_shift), \
                                       p->input2_multiplier, p->input2_shift);                 \
    const int32_t v =                                                                          \
        scale_below_one(s1 + s2, p->output_multiplier, p->output_shift) + p->output_offset;    \
    output[o] = (int16_t)mcunet_clamp_i32(v, p->act_min, p->act_max);                          \
  }
  MCUNET_FOR_EACH_BROADCAST(p, MCUNET_ADD16_ELEMENT);
#undef MCUNET_ADD16_ELEMENT
  return MCUNET_OK;
}
