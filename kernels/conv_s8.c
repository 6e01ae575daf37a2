/* CONV_2D int8 with per-channel requantisation, any stride, dilation, padding
 * and group count: the reference loops (mcunet_conv_reference.h). The sum is
 * exact in int32, so any order gives TFLite's result. */
#include "mcunet_conv_reference.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_conv2d_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                     const int32_t* bias, int8_t* output, int8_t* scratch) {
  (void)scratch;
  MCUNET_CONV_REFERENCE(int8_t, int8_t, int32_t, MCUNET_STORE_S8)
}
