/* FULLY_CONNECTED int8: out[b][o] = sum_i (w[o][i] + filter_offset) * (x[b][i] + input_offset). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_fully_connected_s8(const mcunet_fc_params* p, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output) {
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* x = input + (int64_t)b * p->in_depth;
    for (int32_t o = 0; o < p->out_depth; ++o) {
      const int8_t* w = filter + (int64_t)o * p->in_depth;
      int32_t acc = 0;
      for (int32_t i = 0; i < p->in_depth; ++i) {
        acc += ((int32_t)w[i] + p->filter_offset) * ((int32_t)x[i] + p->input_offset);
      }
      if (bias) acc += bias[o];
      const int32_t q = p->per_channel ? o : 0;
      output[(int64_t)b * p->out_depth + o] = mcunet_requantize_to_int8(
          acc, p->multiplier[q], p->shift[q], p->output_offset, p->act_min, p->act_max);
    }
  }
  return MCUNET_OK;
}
