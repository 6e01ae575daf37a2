/* ADD int8 (TFLite's scheme): both inputs are shifted left by left_shift, scaled
 * to a common scale with Q31 multipliers below one, summed, then scaled to the
 * output. Strides of 0 broadcast an input along a dimension. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static inline int32_t scale_below_one(int32_t x, int32_t multiplier, int32_t shift) {
  /* shift <= 0: a right shift after the high multiply. */
  return mcunet_rounding_divide_by_pot(mcunet_srdhm_unsaturated(x, multiplier), -shift);
}

int mcunet_add_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output) {
  if (p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0) return MCUNET_BAD_PARAMS;
  int64_t out_index = 0;
  for (int32_t d0 = 0; d0 < p->out_dims[0]; ++d0) {
    for (int32_t d1 = 0; d1 < p->out_dims[1]; ++d1) {
      for (int32_t d2 = 0; d2 < p->out_dims[2]; ++d2) {
        const int64_t base1 = (int64_t)d0 * p->in1_strides[0] + (int64_t)d1 * p->in1_strides[1] +
                              (int64_t)d2 * p->in1_strides[2];
        const int64_t base2 = (int64_t)d0 * p->in2_strides[0] + (int64_t)d1 * p->in2_strides[1] +
                              (int64_t)d2 * p->in2_strides[2];
        for (int32_t d3 = 0; d3 < p->out_dims[3]; ++d3) {
          const int32_t x1 = input1[base1 + (int64_t)d3 * p->in1_strides[3]] + p->input1_offset;
          const int32_t x2 = input2[base2 + (int64_t)d3 * p->in2_strides[3]] + p->input2_offset;
          const int32_t s1 =
              scale_below_one(x1 * (1 << p->left_shift), p->input1_multiplier, p->input1_shift);
          const int32_t s2 =
              scale_below_one(x2 * (1 << p->left_shift), p->input2_multiplier, p->input2_shift);
          int32_t out =
              scale_below_one(s1 + s2, p->output_multiplier, p->output_shift) + p->output_offset;
          output[out_index++] = (int8_t)mcunet_clamp_i32(out, p->act_min, p->act_max);
        }
      }
    }
  }
  return MCUNET_OK;
}
