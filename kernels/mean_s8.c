/* MEAN int8 over any axes, as TF Lite Micro computes it (mcunet_mean_params):
 * integer arithmetic only. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

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
          scratch[o] += input[in_index++];
        }

  if (reduced_count == 0) return MCUNET_BAD_PARAMS;
  for (int32_t i = 0; i < p->out_count; ++i) {
    const int32_t shifted = scratch[i] - p->input_zero_point * reduced_count;
    output[i] = mcunet_requantize_to_int8(shifted, p->multiplier, p->shift, p->output_zero_point,
                                          -128, 127);
  }
  return MCUNET_OK;
}
