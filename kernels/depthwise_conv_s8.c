/* DEPTHWISE_CONV_2D int8, per-channel requantisation, any depth multiplier,
 * stride, dilation and padding: the reference loops (mcunet_conv_reference.h).
 * Output channel oc = ic * depth_multiplier + m. */
#include "mcunet_conv_reference.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_depthwise_conv2d_s8(const mcunet_conv_params* p, const int8_t* input,
                               const int8_t* filter, const int32_t* bias, int8_t* output,
                               int8_t* scratch) {
  (void)scratch;
  MCUNET_DEPTHWISE_REFERENCE(int8_t, int8_t, int32_t, MCUNET_STORE_S8)
}
