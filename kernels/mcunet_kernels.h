/* mcunet int8 kernels: the one set of kernels behind the host runtime and the
 * generated firmware. C99, no malloc, no libc beyond <stdint.h>/<string.h>.
 * All parameters (offsets, multipliers, clamp bounds, padding) are precomputed
 * on the host by src/ops/; kernels only compute. Tensors are row-major NHWC.
 * Every kernel returns MCUNET_OK or a nonzero code for impossible parameters. */
#ifndef MCUNET_KERNELS_H_
#define MCUNET_KERNELS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { MCUNET_OK = 0, MCUNET_BAD_PARAMS = 1 };

/* CONV_2D (groups = in_c / filter_in_c) and DEPTHWISE_CONV_2D. */
typedef struct {
  int32_t batches;
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t k_h, k_w;
  int32_t filter_in_c;      /* conv: channels per group; depthwise: unused */
  int32_t depth_multiplier; /* depthwise only */
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t input_offset;  /* -input zero point */
  int32_t output_offset; /* output zero point */
  int32_t act_min, act_max;
  const int32_t* multiplier; /* one per output channel */
  const int32_t* shift;      /* one per output channel */
} mcunet_conv_params;

/* filter [out_c][k_h][k_w][filter_in_c]; bias may be NULL. */
int mcunet_conv2d_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                     const int32_t* bias, int8_t* output);
/* filter [1][k_h][k_w][out_c]; out_c = in_c * depth_multiplier; bias may be NULL. */
int mcunet_depthwise_conv2d_s8(const mcunet_conv_params* p, const int8_t* input,
                               const int8_t* filter, const int32_t* bias, int8_t* output);

typedef struct {
  int32_t batches, in_depth, out_depth;
  int32_t input_offset, filter_offset, output_offset;
  int32_t act_min, act_max;
  int32_t per_channel; /* multiplier/shift hold out_depth entries, else one */
  const int32_t* multiplier;
  const int32_t* shift;
} mcunet_fc_params;

/* filter [out_depth][in_depth]; bias may be NULL. */
int mcunet_fully_connected_s8(const mcunet_fc_params* p, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output);

/* ADD with 4-D broadcasting: strides are 0 along broadcast dimensions. */
typedef struct {
  int32_t out_dims[4];
  int32_t in1_strides[4], in2_strides[4];
  int32_t input1_offset, input2_offset, output_offset;
  int32_t left_shift;
  int32_t input1_multiplier, input1_shift;
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
} mcunet_add_params;

int mcunet_add_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output);

typedef struct {
  int32_t batches, in_h, in_w, channels, out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w, pad_top, pad_left;
  int32_t act_min, act_max;
} mcunet_pool_params;

int mcunet_avg_pool_s8(const mcunet_pool_params* p, const int8_t* input, int8_t* output);
int mcunet_max_pool_s8(const mcunet_pool_params* p, const int8_t* input, int8_t* output);

/* MEAN over any set of axes of a tensor of rank <= 4 (shape left-padded with 1).
 * TF Lite Micro picks one of two arithmetics; the op definition picks the same. */
enum {
  MCUNET_MEAN_REQUANT_SPATIAL = 0, /* 4-D, axes {1,2}, keep_dims: Q31 rescale, then divide */
  MCUNET_MEAN_FLOAT = 1            /* otherwise: TFLite's float rescale and rounding */
};
typedef struct {
  int32_t mode;
  int32_t in_dims[4];
  int32_t reduce[4]; /* 1 where the axis is reduced */
  int32_t out_count; /* elements of the output */
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* input_scale / output_scale (REQUANT_SPATIAL) */
  float scale;               /* input_scale / output_scale as float (FLOAT) */
} mcunet_mean_params;

/* scratch: out_count int32 accumulators. */
int mcunet_mean_s8(const mcunet_mean_params* p, const int8_t* input, int8_t* output,
                   int32_t* scratch);

typedef struct {
  int32_t rows, depth;
  int32_t input_multiplier, input_left_shift, diff_min;
} mcunet_softmax_params;

/* int8 output with scale 1/256 and zero point -128 (TFLite's int8 softmax contract). */
int mcunet_softmax_s8(const mcunet_softmax_params* p, const int8_t* input, int8_t* output);

typedef struct {
  int32_t in_dims[4];
  int32_t pad_before[4], pad_after[4];
  int32_t element_size;
  const void* pad_value; /* one element */
} mcunet_pad_params;

int mcunet_pad(const mcunet_pad_params* p, const void* input, void* output);

typedef struct {
  int32_t in_dims[4];
  int32_t perm[4]; /* output axis i reads input axis perm[i] */
  int32_t element_size;
} mcunet_transpose_params;

int mcunet_transpose(const mcunet_transpose_params* p, const void* input, void* output);

typedef struct {
  int32_t count;
  int32_t zero_point;
  float scale;
} mcunet_affine_params;

/* float -> int8: round(x / scale) + zero_point, saturated. */
int mcunet_quantize_f32_s8(const mcunet_affine_params* p, const float* input, int8_t* output);
/* int8 -> float: scale * (q - zero_point). */
int mcunet_dequantize_s8_f32(const mcunet_affine_params* p, const int8_t* input, float* output);

typedef struct {
  int32_t count;
  int32_t input_offset, output_offset;
  int32_t multiplier, shift;
} mcunet_requantize_params;

/* int8 -> int8 with another scale and zero point. */
int mcunet_requantize_s8(const mcunet_requantize_params* p, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* MCUNET_KERNELS_H_ */
