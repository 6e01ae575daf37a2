/* REDUCE_MAX int8 over any axes (rank <= 4): every output starts at -128, then
 * each input element, in row-major order, raises its output. Raw values: the
 * op requires equal input and output quantisation, as TF Lite Micro does. The
 * output is written before the input is read: no in-place. */
#include "mcunet_kernels.h"
#include "mcunet_reduce.h"

int mcunet_reduce_max_s8(const mcunet_reduce_max_params* p, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < p->out_count; ++i) output[i] = -128;
  int64_t in_index = 0;
  MCUNET_FOR_EACH_REDUCED(p->in_dims, p->reduce, o, {
    const int8_t v = input[in_index++];
    if (v > output[o]) output[o] = v;
  });
  return MCUNET_OK;
}
