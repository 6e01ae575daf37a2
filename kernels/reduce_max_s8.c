/* REDUCE_MAX int8 over any axes (rank <= 4): every output starts at -128, then
 * each input element, in row-major order, raises its output. Raw values: the
 * op requires equal input and output quantisation, as TF Lite Micro does. The
 * output is written before the input is read: no in-place. */
#include "mcunet_kernels.h"

int mcunet_reduce_max_s8(const mcunet_reduce_max_params* p, const int8_t* input, int8_t* output) {
  int32_t out_strides[4];
  out_strides[3] = 1;
  for (int i = 2; i >= 0; --i) {
    out_strides[i] = out_strides[i + 1] * (p->reduce[i + 1] ? 1 : p->in_dims[i + 1]);
  }
  for (int32_t i = 0; i < p->out_count; ++i) output[i] = -128;
  int64_t in_index = 0;
  for (int32_t d0 = 0; d0 < p->in_dims[0]; ++d0)
    for (int32_t d1 = 0; d1 < p->in_dims[1]; ++d1)
      for (int32_t d2 = 0; d2 < p->in_dims[2]; ++d2)
        for (int32_t d3 = 0; d3 < p->in_dims[3]; ++d3) {
          const int32_t o =
              (p->reduce[0] ? 0 : d0) * out_strides[0] + (p->reduce[1] ? 0 : d1) * out_strides[1] +
              (p->reduce[2] ? 0 : d2) * out_strides[2] + (p->reduce[3] ? 0 : d3) * out_strides[3];
          const int8_t v = input[in_index++];
          if (v > output[o]) output[o] = v;
        }
  return MCUNET_OK;
}
