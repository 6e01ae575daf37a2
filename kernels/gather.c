/* GATHER: for each batch, outer row and index, one slice of inner_bytes copied
 * from row `index` of the gathered axis (TF Lite Micro's loop order). */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_gather(const mcunet_gather_params* p, const void* input, const int32_t* indices,
                  void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const size_t slice = (size_t)p->inner_bytes;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int32_t* coords = indices + (int64_t)b * p->coords;
    for (int32_t o = 0; o < p->outer; ++o) {
      const uint8_t* table = in + ((int64_t)b * p->outer + o) * p->axis_size * (int64_t)slice;
      for (int32_t c = 0; c < p->coords; ++c, out += slice) {
        const int32_t i = coords[c];
        if (i < 0 || i >= p->axis_size) return MCUNET_BAD_INPUT;
        memcpy(out, table + (int64_t)i * (int64_t)slice, slice);
      }
    }
  }
  return MCUNET_OK;
}
