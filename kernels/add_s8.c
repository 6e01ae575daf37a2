/* ADD int8 (TFLite's scheme): both inputs are shifted left by left_shift, scaled
 * to a common scale with Q31 multipliers below one, summed, then scaled to the
 * output. Strides of 0 broadcast an input along a dimension. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

static inline int32_t scale_below_one(int32_t x, int32_t multiplier, int32_t shift) {
  /* shift <= 0: a right shift after the high multiply. */
  return mcunet_rounding_divide_by_pot(mcunet_srdhm_unsaturated(x, multiplier), -shift);
}

/* Whether an input's strides are the output's own (no broadcasting). */
static int mcunet_add_dense(const int32_t* dims, const int32_t* strides) {
  return strides[3] == 1 && strides[2] == dims[3] && strides[1] == dims[2] * dims[3] &&
         (dims[0] == 1 || strides[0] == dims[1] * dims[2] * dims[3]);
}

/* Both inputs as dense as the output: one flat loop, the parameters in locals
 * (int8 stores could alias *p as far as the compiler knows). */
static void mcunet_add_flat(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                            int8_t* output, int64_t count) {
  const int32_t off1 = p->input1_offset, off2 = p->input2_offset, ls = p->left_shift;
  const int32_t m1 = p->input1_multiplier, e1 = -p->input1_shift;
  const int32_t m2 = p->input2_multiplier, e2 = -p->input2_shift;
  const int32_t mo = p->output_multiplier, eo = -p->output_shift;
  const int32_t zo = p->output_offset, lo = p->act_min, hi = p->act_max;
  for (int64_t i = 0; i < count; ++i) {
    const int32_t x1 = (int32_t)((uint32_t)(input1[i] + off1) << ls);
    const int32_t x2 = (int32_t)((uint32_t)(input2[i] + off2) << ls);
    const int32_t s1 = mcunet_rounding_divide_by_pot(mcunet_srdhm_unsaturated(x1, m1), e1);
    const int32_t s2 = mcunet_rounding_divide_by_pot(mcunet_srdhm_unsaturated(x2, m2), e2);
    const int32_t out =
        mcunet_rounding_divide_by_pot(mcunet_srdhm_unsaturated(s1 + s2, mo), eo) + zo;
    output[i] = (int8_t)mcunet_clamp_i32(out, lo, hi);
  }
}

int mcunet_add_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output) {
  if (p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0) return MCUNET_BAD_PARAMS;
  const int32_t* dims = p->out_dims;
  if (mcunet_add_dense(dims, p->in1_strides) && mcunet_add_dense(dims, p->in2_strides)) {
    mcunet_add_flat(p, input1, input2, output, (int64_t)dims[0] * dims[1] * dims[2] * dims[3]);
    return MCUNET_OK;
  }
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
