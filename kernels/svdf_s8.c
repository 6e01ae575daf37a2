/* SVDF int8 with int16 time weights and state, as TF Lite Micro's reference
 * (svdf_common.cc). Per batch b and filter f, the state row
 * state[b][f][0..memory) is a queue of the filter's past activations:
 *   1. the row moves one place towards index 0 (the oldest value drops out);
 *   2. the newest value, at memory - 1, is the feature dot product
 *      sum_i w_feature[f][i] * (x[b][i] - input zero point), requantised to the
 *      state's scale and saturated to int16;
 *   3. the time dot product sum_j w_time[f][j] * state[b][f][j].
 * Each output unit u sums its `rank` filters' time products onto its bias, and
 * that sum is requantised to int8 and clamped to the int8 range: TF Lite
 * Micro's int8 SVDF ignores the fused activation, and so does this kernel.
 *
 * TF Lite Micro first shifts the whole state buffer by one element and keeps
 * the time products and unit sums in two int32 scratch buffers; moving each row
 * and summing as we go gives the same values and needs no scratch. Its time
 * products and sums are int32 additions that wrap on overflow on every target
 * it runs on: the sums here are formed in uint32, whose wrap C defines, and so
 * give those bits (the order of wrapping additions does not change the result).
 * The feature dot product cannot overflow: the op refuses weights that could.
 *
 * The input and output are read and written in separate buffers (no in-place). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_svdf_s8(const mcunet_svdf_params* p, const int8_t* input, const int8_t* weights_feature,
                   const int16_t* weights_time, const int32_t* bias, int16_t* state,
                   int8_t* output) {
  const int32_t units = p->rank > 0 ? p->filters / p->rank : 0;
  if (p->rank <= 0 || p->memory <= 0 || units * p->rank != p->filters) return MCUNET_BAD_PARAMS;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* x = input + (int64_t)b * p->input_size;
    int16_t* rows = state + (int64_t)b * p->filters * p->memory;
    for (int32_t u = 0; u < units; ++u) {
      uint32_t sum = bias ? (uint32_t)bias[u] : 0u;
      for (int32_t r = 0; r < p->rank; ++r) {
        const int32_t f = u * p->rank + r;
        int16_t* row = rows + (int64_t)f * p->memory;
        const int8_t* w = weights_feature + (int64_t)f * p->input_size;
        const int16_t* wt = weights_time + (int64_t)f * p->memory;
        int32_t dot = 0;
        int32_t j;
        for (j = 0; j + 1 < p->memory; ++j) row[j] = row[j + 1];
        for (int32_t i = 0; i < p->input_size; ++i) {
          dot += (int32_t)w[i] * ((int32_t)x[i] + p->input_offset);
        }
        dot = mcunet_requantize(dot, p->feature_multiplier, p->feature_shift);
        row[p->memory - 1] = (int16_t)mcunet_clamp_i32(dot, INT16_MIN, INT16_MAX);
        for (j = 0; j < p->memory; ++j) {
          sum += (uint32_t)((int32_t)wt[j] * (int32_t)row[j]);
        }
      }
      output[(int64_t)b * units + u] = (int8_t)mcunet_clamp_i32(
          mcunet_requantize((int32_t)sum, p->output_multiplier, p->output_shift) + p->output_offset,
          INT8_MIN, INT8_MAX);
    }
  }
  return MCUNET_OK;
}
