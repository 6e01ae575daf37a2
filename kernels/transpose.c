/* TRANSPOSE for any element size, rank <= 4 (dims left-padded with 1 and the
 * permutation extended with leading identity axes). */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_transpose(const mcunet_transpose_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const int32_t es = p->element_size;
  int64_t in_strides[4];
  in_strides[3] = 1;
  for (int i = 2; i >= 0; --i) in_strides[i] = in_strides[i + 1] * p->in_dims[i + 1];
  int32_t out_dims[4];
  int64_t step[4];
  for (int i = 0; i < 4; ++i) {
    if (p->perm[i] < 0 || p->perm[i] > 3) return MCUNET_BAD_PARAMS;
    out_dims[i] = p->in_dims[p->perm[i]];
    step[i] = in_strides[p->perm[i]];
  }
  for (int32_t d0 = 0; d0 < out_dims[0]; ++d0)
    for (int32_t d1 = 0; d1 < out_dims[1]; ++d1)
      for (int32_t d2 = 0; d2 < out_dims[2]; ++d2)
        for (int32_t d3 = 0; d3 < out_dims[3]; ++d3) {
          const int64_t src = d0 * step[0] + d1 * step[1] + d2 * step[2] + d3 * step[3];
          memcpy(out, in + src * es, (size_t)es);
          out += es;
        }
  return MCUNET_OK;
}
