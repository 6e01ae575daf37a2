/* CONCATENATION, one input per call (mcunet_concat_params): the input's chunks
 * copied into their column of the output. Raw bytes, any element type: TF Lite
 * Micro copies int8 values without rescaling. */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_concat(const mcunet_concat_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output + p->output_offset;
  for (int32_t o = 0; o < p->outer; ++o) {
    /* memmove: an input planned in place (the first, with one chunk) copies onto itself. */
    memmove(out + (int64_t)o * p->output_stride, in + (int64_t)o * p->chunk_bytes,
            (size_t)p->chunk_bytes);
  }
  return MCUNET_OK;
}
