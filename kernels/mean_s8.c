/* MEAN int8 over any axes, as TF Lite Micro computes it: int32 sums, then one of
 * two rescales (see mcunet_mean_params). The FLOAT mode is the reference
 * kernel's own float arithmetic; matching it bit for bit needs the same float
 * operations, hence no FMA contraction (mcunet_no_fma.h). */
#include "mcunet_no_fma.h"

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_round.h"

int mcunet_mean_s8(const mcunet_mean_params* p, const int8_t* input, int8_t* output,
                   int32_t* scratch) {
  int32_t out_dims[4], out_strides[4];
  int32_t reduced_count = 1;
  for (int i = 0; i < 4; ++i) {
    out_dims[i] = p->reduce[i] ? 1 : p->in_dims[i];
    if (p->reduce[i]) reduced_count *= p->in_dims[i];
  }
  out_strides[3] = 1;
  for (int i = 2; i >= 0; --i) out_strides[i] = out_strides[i + 1] * out_dims[i + 1];
  for (int32_t i = 0; i < p->out_count; ++i) scratch[i] = 0;

  int64_t in_index = 0;
  for (int32_t d0 = 0; d0 < p->in_dims[0]; ++d0)
    for (int32_t d1 = 0; d1 < p->in_dims[1]; ++d1)
      for (int32_t d2 = 0; d2 < p->in_dims[2]; ++d2)
        for (int32_t d3 = 0; d3 < p->in_dims[3]; ++d3) {
          const int32_t o =
              (p->reduce[0] ? 0 : d0) * out_strides[0] + (p->reduce[1] ? 0 : d1) * out_strides[1] +
              (p->reduce[2] ? 0 : d2) * out_strides[2] + (p->reduce[3] ? 0 : d3) * out_strides[3];
          /* The spatial mode sums values relative to the input zero point. */
          scratch[o] += input[in_index++] -
                        (p->mode == MCUNET_MEAN_REQUANT_SPATIAL ? p->input_zero_point : 0);
        }

  if (reduced_count == 0) return MCUNET_BAD_PARAMS;
  for (int32_t i = 0; i < p->out_count; ++i) {
    if (p->mode == MCUNET_MEAN_REQUANT_SPATIAL) {
      /* 64-bit so that rounding and the zero point cannot overflow. */
      int64_t acc = mcunet_requantize(scratch[i], p->multiplier, p->shift);
      acc = acc > 0 ? (acc + reduced_count / 2) / reduced_count
                    : (acc - reduced_count / 2) / reduced_count;
      acc += p->output_zero_point;
      output[i] = (int8_t)(acc < -128 ? -128 : (acc > 127 ? 127 : acc));
    } else {
      const float bias = (float)(-p->input_zero_point) * p->scale;
      const float mean = (float)scratch[i] / (float)reduced_count;
      const float scaled = mean * p->scale;
      const int64_t q = (int64_t)mcunet_round_to_i32(scaled + bias) + p->output_zero_point;
      output[i] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
    }
  }
  return MCUNET_OK;
}
