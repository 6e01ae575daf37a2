/* CONV_2D 16x8 (TFLite's scheme for int16 activations): int16 input and output,
 * int8 per-channel weights, optional int64 bias; any stride, dilation, padding
 * and group count. The reference loops of the int8 kernel
 * (mcunet_conv_reference.h) with an int64 sum and TFLite's int64
 * requantisation (mcunet_requantize_s64). */
#include "mcunet_conv_reference.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

int mcunet_conv2d_s16(const mcunet_conv_params* p, const int16_t* input, const int8_t* filter,
                      const int64_t* bias, int16_t* output) {
  MCUNET_CONV_REFERENCE(int16_t, int16_t, int64_t, MCUNET_STORE_S16)
}
