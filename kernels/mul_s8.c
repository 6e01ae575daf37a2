/* MUL int8 as TF Lite Micro's reference kernel computes it: each output is the
 * product of the two offset inputs, (x1 - zp1) * (x2 - zp2), rescaled once by a
 * Q31 multiplier and shift (MultiplyByQuantizedMultiplier's double rounding),
 * plus the output zero point, clamped to the fused activation's range. Strides of
 * 0 broadcast an input along a dimension. Output element i (row-major) is written
 * after both inputs' elements for it are read. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_mul_s8(const mcunet_mul_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output) {
  /* |product| <= 255 * 255 < 2^16, so a left shift up to 15 stays inside int32. */
  if (p->output_shift > 15) return MCUNET_BAD_PARAMS;
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
          output[out_index++] =
              mcunet_requantize_to_int8(x1 * x2, p->output_multiplier, p->output_shift,
                                        p->output_offset, p->act_min, p->act_max);
        }
      }
    }
  }
  return MCUNET_OK;
}
