/* TRANSPOSE for any element size, rank <= 6 (dims left-padded with 1 and the
 * permutation extended with leading identity axes); DEPTH_TO_SPACE and
 * SPACE_TO_DEPTH are rank-6 transposes of a reshaped view. When the last axis
 * stays last, whole rows of it are copied at once. */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_transpose(const mcunet_transpose_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int64_t in_strides[6];
  in_strides[5] = p->element_size;
  for (int i = 4; i >= 0; --i) in_strides[i] = in_strides[i + 1] * p->in_dims[i + 1];
  /* The copied run: the last axis if it stays last, else one element. */
  const int axes = p->perm[5] == 5 ? 5 : 6;
  int32_t out_dims[6];
  int64_t step[6], runs = 1; /* runs: the product of the odometer's axes */
  for (int i = 0; i < 6; ++i) {
    if (p->perm[i] < 0 || p->perm[i] > 5) return MCUNET_BAD_PARAMS;
    out_dims[i] = p->in_dims[p->perm[i]];
    step[i] = in_strides[p->perm[i]];
    if (i < axes) runs *= out_dims[i];
  }
  if (runs == 0 || out_dims[5] == 0) return MCUNET_OK;
  const size_t run = (size_t)(axes == 5 ? out_dims[5] * p->element_size : p->element_size);
  int32_t index[6] = {0, 0, 0, 0, 0, 0};
  int64_t src = 0;
  for (int64_t n = runs; n > 0; --n) {
    memcpy(out, in + src, run);
    out += run;
    for (int d = axes - 1; d >= 0; --d) { /* odometer over the output's axes */
      if (++index[d] < out_dims[d]) {
        src += step[d];
        break;
      }
      src -= step[d] * (out_dims[d] - 1);
      index[d] = 0;
    }
  }
  return MCUNET_OK;
}
