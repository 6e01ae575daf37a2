/* MEAN int8 over any axes, as TF Lite Micro computes it (mcunet_mean_params):
 * integer arithmetic only. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_reduce.h"

int mcunet_mean_s8(const mcunet_mean_params* p, const int8_t* input, int8_t* output,
                   int32_t* scratch) {
  int32_t reduced_count = 1;
  for (int i = 0; i < 4; ++i) {
    if (p->reduce[i]) reduced_count *= p->in_dims[i];
  }
  for (int32_t i = 0; i < p->out_count; ++i) scratch[i] = 0;
  int64_t in_index = 0;
  MCUNET_FOR_EACH_REDUCED(p->in_dims, p->reduce, o, { scratch[o] += input[in_index++]; });

  if (reduced_count == 0) return MCUNET_BAD_PARAMS;
  for (int32_t i = 0; i < p->out_count; ++i) {
    const int32_t shifted = scratch[i] - p->input_zero_point * reduced_count;
    output[i] = mcunet_requantize_to_int8(shifted, p->multiplier, p->shift, p->output_zero_point,
                                          -128, 127);
  }
  return MCUNET_OK;
}
