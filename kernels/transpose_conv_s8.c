/* TRANSPOSE_CONV int8: the gather of mcunet_transpose_conv.h with an int32 sum
 * and the int8 requantisation. */
#include "mcunet_conv_reference.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_transpose_conv.h"

int mcunet_transpose_conv_s8(const mcunet_transpose_conv_params* p, const int8_t* input,
                             const int8_t* filter, const int32_t* bias, int8_t* output) {
  MCUNET_TRANSPOSE_CONV_GATHER(int8_t, int8_t, int32_t, MCUNET_STORE_S8)
}
