/* Element-wise int8 -> int8 through a 256-entry table (mcunet_lut_params). Each
 * output element is written after its input element is read, in increasing
 * order, so the output may share the input's bytes. */
#include "mcunet_kernels.h"

int mcunet_lut_s8(const mcunet_lut_params* p, const int8_t* input, int8_t* output) {
  const int8_t* table = p->table + 128;
  for (int32_t i = 0; i < p->count; ++i) output[i] = table[input[i]];
  return MCUNET_OK;
}
