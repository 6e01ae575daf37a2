/* PAD / PADV2 for any element size, rank <= 4 (dims left-padded with 1). */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_pad(const mcunet_pad_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const int32_t es = p->element_size;
  int32_t out_dims[4];
  for (int i = 0; i < 4; ++i) out_dims[i] = p->pad_before[i] + p->in_dims[i] + p->pad_after[i];
  for (int32_t d0 = 0; d0 < out_dims[0]; ++d0)
    for (int32_t d1 = 0; d1 < out_dims[1]; ++d1)
      for (int32_t d2 = 0; d2 < out_dims[2]; ++d2)
        for (int32_t d3 = 0; d3 < out_dims[3]; ++d3) {
          const int32_t i0 = d0 - p->pad_before[0], i1 = d1 - p->pad_before[1];
          const int32_t i2 = d2 - p->pad_before[2], i3 = d3 - p->pad_before[3];
          const int inside = i0 >= 0 && i0 < p->in_dims[0] && i1 >= 0 && i1 < p->in_dims[1] &&
                             i2 >= 0 && i2 < p->in_dims[2] && i3 >= 0 && i3 < p->in_dims[3];
          if (inside) {
            const int64_t src =
                (((int64_t)i0 * p->in_dims[1] + i1) * p->in_dims[2] + i2) * p->in_dims[3] + i3;
            memcpy(out, in + src * es, (size_t)es);
          } else {
            memcpy(out, p->pad_value, (size_t)es);
          }
          out += es;
        }
  return MCUNET_OK;
}
