/* SOFTMAX and LOG_SOFTMAX on float32 (after a DEQUANTIZE), in TF Lite's order
 * of operations (reference_ops::Softmax / LogSoftmax for float): per row the
 * maximum, then e^((x - max) beta) stored and summed in order, then each
 * divided by the sum; for LOG_SOFTMAX (beta 1) x - max - ln(sum). e^x and ln
 * are ours (mcunet_float_math.h): the same bits on the host and every core,
 * within a few units in the last place of TF Lite's libm. In place: a row is
 * read in full for its maximum, then element c is read before it is written. */
#include "mcunet_float_math.h"
#include "mcunet_kernels.h"
#include "mcunet_no_fma.h"

static float mcunet_row_max(const float* row, int32_t depth) {
  float max = -3.40282347e+38f; /* the lowest float, as TF Lite starts */
  for (int32_t c = 0; c < depth; ++c) max = row[c] > max ? row[c] : max;
  return max;
}

int mcunet_softmax_f32(const mcunet_softmax_f32_params* p, const float* input, float* output) {
  const int32_t depth = p->depth;
  const float beta = p->beta;
  for (int32_t r = 0; r < p->rows; ++r, input += depth, output += depth) {
    const float max = mcunet_row_max(input, depth);
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      const float e = mcunet_expf((input[c] - max) * beta);
      output[c] = e;
      sum += e;
    }
    for (int32_t c = 0; c < depth; ++c) output[c] = output[c] / sum;
  }
  return MCUNET_OK;
}

int mcunet_log_softmax_f32(const mcunet_softmax_f32_params* p, const float* input, float* output) {
  const int32_t depth = p->depth;
  for (int32_t r = 0; r < p->rows; ++r, input += depth, output += depth) {
    const float max = mcunet_row_max(input, depth);
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) sum += mcunet_expf(input[c] - max);
    const float log_sum = mcunet_logf(sum);
    for (int32_t c = 0; c < depth; ++c) output[c] = input[c] - max - log_sum;
  }
  return MCUNET_OK;
}
