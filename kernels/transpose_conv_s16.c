/* TRANSPOSE_CONV 16x8 (TFLite's scheme for int16 activations): int16 input and
 * output (zero points 0), int8 per-channel weights, optional int64 bias. The
 * gather of mcunet_transpose_conv.h with an int64 sum and TFLite's int64
 * requantisation (mcunet_requantize_s64); no scratch buffer. */
#include "mcunet_conv_reference.h"
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_transpose_conv.h"

int mcunet_transpose_conv_s16(const mcunet_transpose_conv_params* p, const int16_t* input,
                              const int8_t* filter, const int64_t* bias, int16_t* output) {
  MCUNET_TRANSPOSE_CONV_GATHER(int16_t, int16_t, int64_t, MCUNET_STORE_S16)
}
