/* QUANTIZE (float -> int8, int8 -> int8) and DEQUANTIZE (int8 -> float) with
 * TFLite's arithmetic: float division and round-half-away for quantising. */
#include "mcunet_no_fma.h"

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_round.h"

int mcunet_quantize_f32_s8(const mcunet_affine_params* p, const float* input, int8_t* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    const int64_t q = (int64_t)mcunet_round_to_i32(input[i] / p->scale) + p->zero_point;
    output[i] = (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
  }
  return MCUNET_OK;
}

int mcunet_dequantize_s8_f32(const mcunet_affine_params* p, const int8_t* input, float* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = p->scale * (float)((int32_t)input[i] - p->zero_point);
  }
  return MCUNET_OK;
}

int mcunet_requantize_s8(const mcunet_requantize_params* p, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    output[i] = mcunet_requantize_to_int8((int32_t)input[i] + p->input_offset, p->multiplier,
                                          p->shift, p->output_offset, -128, 127);
  }
  return MCUNET_OK;
}
