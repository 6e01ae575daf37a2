/* FULLY_CONNECTED 16x8 (TFLite's scheme for int16 activations): int16 input and
 * output, int8 weights, optional int64 bias. out[b][o] = sum_i (w[o][i] +
 * filter_offset) * (x[b][i] + input_offset) + bias[o], summed in int64 and
 * requantised with TFLite's int64 MultiplyByQuantizedMultiplier (one rounding of
 * a Q15-reduced multiplier, not the int8 kernels' two roundings).
 * Order: row by row; output row b is written while input row b is still read
 * (each output element rereads the whole row), so in place the output must end
 * below the row being read (src/ops/fully_connected.cc). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_fully_connected_s16(const mcunet_fc_params* p, const int16_t* input,
                               const int8_t* filter, const int64_t* bias, int16_t* output) {
  for (int32_t b = 0; b < p->batches; ++b) {
    const int16_t* x = input + (int64_t)b * p->in_depth;
    for (int32_t o = 0; o < p->out_depth; ++o) {
      const int8_t* w = filter + (int64_t)o * p->in_depth;
      int64_t acc = 0;
      for (int32_t i = 0; i < p->in_depth; ++i) {
        /* |w| <= 255 and |x| <= 65535: each product fits in int32. */
        acc += ((int32_t)w[i] + p->filter_offset) * ((int32_t)x[i] + p->input_offset);
      }
      if (bias) acc += bias[o];
      const int32_t q = p->per_channel ? o : 0;
      output[(int64_t)b * p->out_depth + o] = mcunet_requantize_s64_to_int16(
          acc, p->multiplier[q], p->shift[q], p->output_offset, p->act_min, p->act_max);
    }
  }
  return MCUNET_OK;
}
