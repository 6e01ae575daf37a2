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

/* MCUNET_BAD_INPUT: the parameters are valid but a runtime input is not (an
 * index tensor computed by the model pointing outside its table). */
enum { MCUNET_OK = 0, MCUNET_BAD_PARAMS = 1, MCUNET_BAD_INPUT = 2 };

/* Each parameter struct is declared from one field list, MCUNET_<NAME>_FIELDS(FIELD,
 * ARRAY, POINTER), an X-macro. On the host, each op's Emit expands the same list
 * (MCUNET_C_PARAMS, src/ops/kernel_emit.h) to print the struct as C designated
 * initialisers, so a field added here is printed without a second, hand-kept copy.
 *   FIELD(type, name)          one value
 *   ARRAY(type, name, count)   a fixed-size array
 *   POINTER(type, name)        points at constant data (the generator prints a symbol)
 * The lists are laid out by hand (clang-format off): related fields share a line. */
#define MCUNET_DECLARE_FIELD(type, name) type name;
#define MCUNET_DECLARE_ARRAY(type, name, count) type name[count];
#define MCUNET_DECLARE_POINTER(type, name) type* name;
#define MCUNET_DECLARE_PARAMS(FIELDS) \
  FIELDS(MCUNET_DECLARE_FIELD, MCUNET_DECLARE_ARRAY, MCUNET_DECLARE_POINTER)

/* CONV_2D (groups = in_c / filter_in_c) and DEPTHWISE_CONV_2D. */
/* clang-format off */
#define MCUNET_CONV_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                     \
  FIELD(int32_t, batches)                                                                   \
  FIELD(int32_t, in_h) FIELD(int32_t, in_w) FIELD(int32_t, in_c)                            \
  FIELD(int32_t, out_h) FIELD(int32_t, out_w) FIELD(int32_t, out_c)                         \
  FIELD(int32_t, k_h) FIELD(int32_t, k_w)                                                   \
  FIELD(int32_t, filter_in_c)      /* conv: channels per group; depthwise: unused */        \
  FIELD(int32_t, depth_multiplier) /* depthwise only */                                     \
  FIELD(int32_t, stride_h) FIELD(int32_t, stride_w)                                         \
  FIELD(int32_t, dilation_h) FIELD(int32_t, dilation_w)                                     \
  FIELD(int32_t, pad_top) FIELD(int32_t, pad_left)                                          \
  FIELD(int32_t, input_offset)  /* -input zero point */                                     \
  FIELD(int32_t, output_offset) /* output zero point */                                     \
  FIELD(int32_t, act_min) FIELD(int32_t, act_max)                                           \
  FIELD(int32_t, widen) /* 1x1 / gathered conv: scratch holds int16-widened pixels (SIMD) */\
  /* Constants in the DSP paths' order on SIMD32 cores: 1x1 / gathered conv, 1 = rows           \
   * interleaved in pairs (mcunet_dot.h), 3 = the same widened to int16 (mcunet_triples_wide_asm);\
   * depthwise multiplier 1, 1 = filter widened per group of four channels, 2 = also            \
   * (multiplier, ~shift) pairs (depthwise_conv_dm1_wide_s8.c) */                              \
  FIELD(int32_t, dsp_layout)                                                                \
  POINTER(const int32_t, multiplier) /* one per output channel */                           \
  POINTER(const int32_t, shift)      /* one per output channel */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_CONV_PARAMS_FIELDS)
} mcunet_conv_params;

/* Every convolution kernel takes the same arguments; `scratch` is the layer's
 * planned scratch buffer (NULL for the kernels that need none). */
/* filter [out_c][k_h][k_w][filter_in_c]; bias may be NULL. */
int mcunet_conv2d_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                     const int32_t* bias, int8_t* output, int8_t* scratch);
/* The same for a 1x1 filter, stride 1, one group (else MCUNET_BAD_PARAMS). */
int mcunet_conv1x1_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                      const int32_t* bias, int8_t* output, int8_t* scratch);
/* Whether its DSP blocking (the first pixels % 3 pixels one at a time, then
 * threes) is safe with the output starting d bytes below the input (d < 0:
 * above) over n input and out_c output channels: the op plans the offset of
 * pixel pairs, and no block of this blocking may write past input it has not
 * read (outputs up to block end e at most the input up to e). The condition
 * is linear in e, so the first and the last block end before the end decide.
 * The compiler asks it too before storing rows widened, which only that
 * blocking reads (ops/conv_common.cc). */
static inline int mcunet_conv1x1_threes_fit(int64_t d, int32_t pixels, int32_t n, int32_t out_c) {
  if (d >= (int64_t)pixels * out_c || -d >= (int64_t)pixels * n) return 1; /* apart */
  /* int32 remainder: a 64-bit one would link libgcc's division. */
  const int32_t e = out_c < n ? (pixels % 3 ? 1 : 3) : pixels >= 3 ? pixels - 3 : pixels - 1;
  return (int64_t)e * (out_c - n) <= d;
}
/* mcunet_conv1x1_s8 and mcunet_conv2d_im2col_s8 with output pixels out_stride
 * values apart (>= out_c): the output is a view inside a concatenation along the
 * channels (planner/views.h). */
int mcunet_conv1x1_strided_s8(const mcunet_conv_params* p, const int8_t* input,
                              const int8_t* filter, const int32_t* bias, int8_t* output,
                              int8_t* scratch, int32_t out_stride);
int mcunet_conv2d_im2col_strided_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch, int32_t out_stride);
/* The same for one group without dilation, through gathered windows: scratch of
 * 2 * k_h * k_w * in_c bytes. */
int mcunet_conv2d_im2col_s8(const mcunet_conv_params* p, const int8_t* input, const int8_t* filter,
                            const int32_t* bias, int8_t* output, int8_t* scratch);
/* Its compact variant alone (p->widen 0), which a project calls so as to hold
 * none of the other's paths. */
int mcunet_conv2d_im2col_compact_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch);
/* filter [1][k_h][k_w][out_c]; out_c = in_c * depth_multiplier; bias may be NULL. */
int mcunet_depthwise_conv2d_s8(const mcunet_conv_params* p, const int8_t* input,
                               const int8_t* filter, const int32_t* bias, int8_t* output,
                               int8_t* scratch);
/* The same for depth multiplier 1 without dilation (else MCUNET_BAD_PARAMS). */
int mcunet_depthwise_conv2d_dm1_s8(const mcunet_conv_params* p, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output,
                                   int8_t* scratch);
/* The same from the DSP cores' widened filter when p->dsp_layout is set (the
 * generated C's; depthwise_conv_dm1_wide_s8.c), else mcunet_depthwise_conv2d_dm1_s8. */
int mcunet_depthwise_conv2d_dm1_wide_s8(const mcunet_conv_params* p, const int8_t* input,
                                        const int8_t* filter, const int32_t* bias, int8_t* output,
                                        int8_t* scratch);
/* The same one channel at a time, through lines of the channel's padded plane
 * in scratch (mcunet_depthwise_conv2d_rows_scratch bytes): a ring of k_h rows,
 * or, on maps narrower than a line worth the set-up (mcunet_dw_long_line), the
 * whole plane stored by columns. Stride 1, kernels up to MCUNET_DW_ROWS_MAX_K
 * square. */
int mcunet_depthwise_conv2d_rows_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch);
#define MCUNET_DW_ROWS_MAX_K 8
/* Outputs a line needs for its set-up to pay (measured on Cortex-M7). */
static inline int32_t mcunet_dw_long_line(const mcunet_conv_params* p) {
  return p->k_w == 3 ? 16 : 8;
}
static inline int mcunet_dw_by_columns(const mcunet_conv_params* p) {
  return p->out_w < mcunet_dw_long_line(p);
}
/* One line: the padded line and what its last 4-byte load reads past it. */
static inline int32_t mcunet_dw_line_bytes(const mcunet_conv_params* p) {
  const int32_t padded = mcunet_dw_by_columns(p) ? (p->out_h - 1) * p->stride_h + p->k_h
                                                 : (p->out_w - 1) * p->stride_w + p->k_w;
  return (padded + 3 + 3) & ~3;
}
/* Lines held: the ring's k_h rows, or every padded column of the plane. */
static inline int32_t mcunet_dw_lines_held(const mcunet_conv_params* p) {
  return mcunet_dw_by_columns(p) ? (p->out_w - 1) * p->stride_w + p->k_w : p->k_h;
}
static inline int32_t mcunet_depthwise_conv2d_rows_scratch(const mcunet_conv_params* p) {
  return mcunet_dw_lines_held(p) * mcunet_dw_line_bytes(p);
}
/* The 16x8 variants (int16 input and output, int64 bias, TFLite's int64
 * requantisation): the reference loops, no scratch. bias may be NULL. */
int mcunet_conv2d_s16(const mcunet_conv_params* p, const int16_t* input, const int8_t* filter,
                      const int64_t* bias, int16_t* output);
int mcunet_depthwise_conv2d_s16(const mcunet_conv_params* p, const int16_t* input,
                                const int8_t* filter, const int64_t* bias, int16_t* output);

/* clang-format off */
#define MCUNET_FC_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                       \
  FIELD(int32_t, batches) FIELD(int32_t, in_depth) FIELD(int32_t, out_depth)                \
  FIELD(int32_t, input_offset) FIELD(int32_t, filter_offset) FIELD(int32_t, output_offset)  \
  FIELD(int32_t, act_min) FIELD(int32_t, act_max)                                           \
  FIELD(int32_t, per_channel) /* multiplier/shift hold out_depth entries, else one */       \
  POINTER(const int32_t, multiplier)                                                        \
  POINTER(const int32_t, shift)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_FC_PARAMS_FIELDS)
} mcunet_fc_params;

/* filter [out_depth][in_depth]; bias may be NULL. */
int mcunet_fully_connected_s8(const mcunet_fc_params* p, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output);
/* The 16x8 variant (int16 input and output, int64 bias; same parameters, with
 * the int64 requantisation of mcunet_requantize_s64). bias may be NULL. */
int mcunet_fully_connected_s16(const mcunet_fc_params* p, const int16_t* input,
                               const int8_t* filter, const int64_t* bias, int16_t* output);

/* ADD with 4-D broadcasting: strides are 0 along broadcast dimensions. */
/* clang-format off */
#define MCUNET_ADD_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                      \
  ARRAY(int32_t, out_dims, 4)                                                               \
  ARRAY(int32_t, in1_strides, 4) ARRAY(int32_t, in2_strides, 4)                             \
  FIELD(int32_t, input1_offset) FIELD(int32_t, input2_offset) FIELD(int32_t, output_offset) \
  FIELD(int32_t, left_shift)                                                                \
  FIELD(int32_t, input1_multiplier) FIELD(int32_t, input1_shift)                            \
  FIELD(int32_t, input2_multiplier) FIELD(int32_t, input2_shift)                            \
  FIELD(int32_t, output_multiplier) FIELD(int32_t, output_shift)                            \
  FIELD(int32_t, act_min) FIELD(int32_t, act_max)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_ADD_PARAMS_FIELDS)
} mcunet_add_params;

int mcunet_add_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output);
/* ADD int16 (TFLite's general scheme with left_shift 15; TF Lite Micro always
 * takes it, whatever pot_scale_int16 says). */
int mcunet_add_s16(const mcunet_add_params* p, const int16_t* input1, const int16_t* input2,
                   int16_t* output);

/* MUL with 4-D broadcasting (strides as for ADD): the product of the two offset
 * inputs, rescaled once by output_multiplier / output_shift. */
/* clang-format off */
#define MCUNET_MUL_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                      \
  ARRAY(int32_t, out_dims, 4)                                                               \
  ARRAY(int32_t, in1_strides, 4) ARRAY(int32_t, in2_strides, 4)                             \
  FIELD(int32_t, input1_offset) FIELD(int32_t, input2_offset) FIELD(int32_t, output_offset) \
  FIELD(int32_t, output_multiplier) FIELD(int32_t, output_shift)                            \
  FIELD(int32_t, act_min) FIELD(int32_t, act_max)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_MUL_PARAMS_FIELDS)
} mcunet_mul_params;

int mcunet_mul_s8(const mcunet_mul_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output);

/* clang-format off */
#define MCUNET_POOL_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                     \
  FIELD(int32_t, batches) FIELD(int32_t, in_h) FIELD(int32_t, in_w)                         \
  FIELD(int32_t, channels) FIELD(int32_t, out_h) FIELD(int32_t, out_w)                      \
  FIELD(int32_t, k_h) FIELD(int32_t, k_w) FIELD(int32_t, stride_h) FIELD(int32_t, stride_w) \
  FIELD(int32_t, pad_top) FIELD(int32_t, pad_left)                                          \
  FIELD(int32_t, act_min) FIELD(int32_t, act_max)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_POOL_PARAMS_FIELDS)
} mcunet_pool_params;

int mcunet_avg_pool_s8(const mcunet_pool_params* p, const int8_t* input, int8_t* output);
int mcunet_max_pool_s8(const mcunet_pool_params* p, const int8_t* input, int8_t* output);

/* MEAN over any set of axes of a tensor of rank <= 4 (shape left-padded with 1),
 * as TF Lite Micro's reference kernel computes every int8 MEAN
 * (QuantizedMeanOrSum): the int32 sum minus count x input zero point, times
 * the in/out scale ratio with 1/count folded into its multiplier. */
/* clang-format off */
#define MCUNET_MEAN_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                     \
  ARRAY(int32_t, in_dims, 4)                                                                \
  ARRAY(int32_t, reduce, 4) /* 1 where the axis is reduced */                               \
  FIELD(int32_t, out_count) /* elements of the output */                                    \
  FIELD(int32_t, input_zero_point) FIELD(int32_t, output_zero_point)                        \
  FIELD(int32_t, multiplier) FIELD(int32_t, shift) /* in/out scale / count */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_MEAN_PARAMS_FIELDS)
} mcunet_mean_params;

/* scratch: out_count int32 accumulators. */
int mcunet_mean_s8(const mcunet_mean_params* p, const int8_t* input, int8_t* output,
                   int32_t* scratch);

/* clang-format off */
#define MCUNET_SOFTMAX_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                  \
  FIELD(int32_t, rows) FIELD(int32_t, depth)                                                \
  FIELD(int32_t, input_multiplier) FIELD(int32_t, input_left_shift) FIELD(int32_t, diff_min)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_SOFTMAX_PARAMS_FIELDS)
} mcunet_softmax_params;

/* int8 output with scale 1/256 and zero point -128 (TFLite's int8 softmax contract). */
int mcunet_softmax_s8(const mcunet_softmax_params* p, const int8_t* input, int8_t* output);
/* int16 output with scale 1/65536 and zero point -32768 (TFLite's int8 -> int16 softmax). */
int mcunet_softmax_s8_s16(const mcunet_softmax_params* p, const int8_t* input, int16_t* output);

/* clang-format off */
#define MCUNET_SOFTMAX_F32_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                              \
  FIELD(int32_t, rows) FIELD(int32_t, depth)                                                \
  FIELD(float, beta) /* LOG_SOFTMAX: unused (1) */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_SOFTMAX_F32_PARAMS_FIELDS)
} mcunet_softmax_f32_params;

/* float32 SOFTMAX and LOG_SOFTMAX (softmax_f32.c): TF Lite's order of
 * operations with our own e^x and ln (mcunet_float_math.h). */
int mcunet_softmax_f32(const mcunet_softmax_f32_params* p, const float* input, float* output);
int mcunet_log_softmax_f32(const mcunet_softmax_f32_params* p, const float* input, float* output);

/* clang-format off */
#define MCUNET_LOG_SOFTMAX_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                              \
  FIELD(int32_t, rows) FIELD(int32_t, depth)                                                \
  FIELD(int32_t, input_multiplier) FIELD(int32_t, input_left_shift) FIELD(int32_t, diff_min) \
  FIELD(int32_t, reverse_multiplier) FIELD(int32_t, reverse_shift) /* shift <= 0 */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_LOG_SOFTMAX_PARAMS_FIELDS)
} mcunet_log_softmax_params;

/* int8 output with scale 16/256 and zero point 127 (TFLite's int8 LOG_SOFTMAX
 * contract); in softmax_s8.c, which it shares gemmlowp's functions with. */
int mcunet_log_softmax_s8(const mcunet_log_softmax_params* p, const int8_t* input,
                          int8_t* output);

/* clang-format off */
#define MCUNET_PAD_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                      \
  ARRAY(int32_t, in_dims, 4)                                                                \
  ARRAY(int32_t, pad_before, 4) ARRAY(int32_t, pad_after, 4)                                \
  FIELD(int32_t, element_size)                                                              \
  POINTER(const void, pad_value) /* one element */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_PAD_PARAMS_FIELDS)
} mcunet_pad_params;

int mcunet_pad(const mcunet_pad_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_TRANSPOSE_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                \
  ARRAY(int32_t, in_dims, 6)                                                                \
  ARRAY(int32_t, perm, 6) /* output axis i reads input axis perm[i] */                      \
  FIELD(int32_t, element_size)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_TRANSPOSE_PARAMS_FIELDS)
} mcunet_transpose_params;

int mcunet_transpose(const mcunet_transpose_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_GATHER_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                   \
  FIELD(int32_t, batches) /* product of the batch_dims leading axes */                      \
  FIELD(int32_t, outer)   /* product of the axes between batch_dims and axis */             \
  FIELD(int32_t, coords)  /* indices per batch */                                           \
  FIELD(int32_t, axis_size) FIELD(int32_t, inner_bytes) /* bytes per gathered slice */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_GATHER_PARAMS_FIELDS)
} mcunet_gather_params;

/* GATHER of slices of any element type; MCUNET_BAD_INPUT for an index outside
 * [0, axis_size) (the output is then incomplete). */
int mcunet_gather(const mcunet_gather_params* p, const void* input, const int32_t* indices,
                  void* output);

/* clang-format off */
#define MCUNET_ARG_MIN_MAX_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                              \
  FIELD(int32_t, outer) FIELD(int32_t, axis_size) FIELD(int32_t, inner)                     \
  FIELD(int32_t, is_max)       /* 1: ARG_MAX, 0: ARG_MIN */                                 \
  FIELD(int32_t, input_float)  /* 1: float32 input, 0: int8 */                              \
  FIELD(int32_t, output_int64) /* 1: int64 output, 0: int32 */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_ARG_MIN_MAX_PARAMS_FIELDS)
} mcunet_arg_min_max_params;

/* ARG_MAX / ARG_MIN along one axis; ties keep the lowest index. */
int mcunet_arg_min_max(const mcunet_arg_min_max_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_REDUCE_MAX_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                               \
  ARRAY(int32_t, in_dims, 4)                                                                \
  ARRAY(int32_t, reduce, 4) /* 1 where the axis is reduced */                               \
  FIELD(int32_t, out_count)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_REDUCE_MAX_PARAMS_FIELDS)
} mcunet_reduce_max_params;

/* REDUCE_MAX int8: raw values (input and output share their quantisation). */
int mcunet_reduce_max_s8(const mcunet_reduce_max_params* p, const int8_t* input, int8_t* output);

/* clang-format off */
#define MCUNET_AFFINE_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                   \
  FIELD(int32_t, count) FIELD(int32_t, zero_point) FIELD(float, scale)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_AFFINE_PARAMS_FIELDS)
} mcunet_affine_params;

/* float -> int8: round(x / scale) + zero_point, saturated. */
int mcunet_quantize_f32_s8(const mcunet_affine_params* p, const float* input, int8_t* output);
/* int8 -> float: scale * (q - zero_point). */
int mcunet_dequantize_s8_f32(const mcunet_affine_params* p, const int8_t* input, float* output);

/* clang-format off */
#define MCUNET_REQUANTIZE_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                               \
  FIELD(int32_t, count) FIELD(int32_t, input_offset) FIELD(int32_t, output_offset)          \
  FIELD(int32_t, multiplier) FIELD(int32_t, shift)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_REQUANTIZE_PARAMS_FIELDS)
} mcunet_requantize_params;

/* int8 -> int8 with another scale and zero point. */
int mcunet_requantize_s8(const mcunet_requantize_params* p, const int8_t* input, int8_t* output);
/* The same between int8 and int16 (the 16x8 models' edges) and int16 -> int16. */
int mcunet_requantize_s8_s16(const mcunet_requantize_params* p, const int8_t* input,
                             int16_t* output);
int mcunet_requantize_s16_s8(const mcunet_requantize_params* p, const int16_t* input,
                             int8_t* output);
int mcunet_requantize_s16_s16(const mcunet_requantize_params* p, const int16_t* input,
                              int16_t* output);

/* SUB: ADD's scheme and parameters, the second scaled input subtracted. */
int mcunet_sub_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output);

/* SQUARED_DIFFERENCE: ADD's parameters (left_shift 7); the scaled difference
 * squared, then requantised by output_multiplier / output_shift of any sign. */
int mcunet_squared_difference_s8(const mcunet_add_params* p, const int8_t* input1,
                                 const int8_t* input2, int8_t* output);

/* clang-format off */
#define MCUNET_BROADCAST_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                \
  ARRAY(int32_t, out_dims, 4)                                                               \
  ARRAY(int32_t, in1_strides, 4) ARRAY(int32_t, in2_strides, 4)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_BROADCAST_PARAMS_FIELDS)
} mcunet_broadcast_params;

/* MAXIMUM / MINIMUM: the larger / smaller raw int8 value (TFLM compares raw
 * values; inputs and output share their quantisation). */
int mcunet_maximum_s8(const mcunet_broadcast_params* p, const int8_t* input1,
                      const int8_t* input2, int8_t* output);
int mcunet_minimum_s8(const mcunet_broadcast_params* p, const int8_t* input1,
                      const int8_t* input2, int8_t* output);

/* clang-format off */
#define MCUNET_PRELU_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                    \
  ARRAY(int32_t, out_dims, 4)                                                               \
  ARRAY(int32_t, in1_strides, 4) ARRAY(int32_t, in2_strides, 4)                             \
  FIELD(int32_t, input_offset) FIELD(int32_t, alpha_offset) FIELD(int32_t, output_offset)   \
  FIELD(int32_t, identity_multiplier) FIELD(int32_t, identity_shift)                        \
  FIELD(int32_t, alpha_multiplier) FIELD(int32_t, alpha_shift)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_PRELU_PARAMS_FIELDS)
} mcunet_prelu_params;

/* PRELU: x for x >= 0, alpha * x below, alpha broadcast against the input. */
int mcunet_prelu_s8(const mcunet_prelu_params* p, const int8_t* input, const int8_t* alpha,
                    int8_t* output);

/* clang-format off */
#define MCUNET_CONCAT_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                   \
  FIELD(int32_t, outer) FIELD(int32_t, chunk_bytes)                                         \
  FIELD(int32_t, output_stride) FIELD(int32_t, output_offset)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_CONCAT_PARAMS_FIELDS)
} mcunet_concat_params;

/* One input of a CONCATENATION: `outer` chunks of chunk_bytes, chunk o copied
 * to output + o * output_stride + output_offset. One call per input. */
int mcunet_concat(const mcunet_concat_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_SPACE_BATCH_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                              \
  ARRAY(int32_t, space_dims, 4)  /* N, H, W, C of the spatial tensor (rank 3: W = 1) */      \
  ARRAY(int32_t, batch_dims, 3)  /* N, H, W of the batched tensor */                        \
  FIELD(int32_t, block_h) FIELD(int32_t, block_w)                                           \
  FIELD(int32_t, top) FIELD(int32_t, left) /* padding (to batch) or crop (to space) */      \
  FIELD(int32_t, element_size) FIELD(int32_t, pad_byte)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_SPACE_BATCH_PARAMS_FIELDS)
} mcunet_space_batch_params;

/* SPACE_TO_BATCH_ND: output batch (sh * block_w + sw) * N + n holds input pixels
 * (oy * block_h + sh - top, ox * block_w + sw - left) of batch n; padded pixels
 * are pad_byte (int8: the output zero point). */
int mcunet_space_to_batch(const mcunet_space_batch_params* p, const void* input, void* output);
/* BATCH_TO_SPACE_ND, its inverse, with crops instead of padding. */
int mcunet_batch_to_space(const mcunet_space_batch_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_RESIZE_BILINEAR_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                          \
  FIELD(int32_t, batches) FIELD(int32_t, in_h) FIELD(int32_t, in_w)                         \
  FIELD(int32_t, out_h) FIELD(int32_t, out_w) FIELD(int32_t, channels)                      \
  POINTER(const int32_t, y_table) /* per output row: y0, y1, weight of y1 (of 1024) */      \
  POINTER(const int32_t, x_table) /* per output column: x0, x1, weight of x1 */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_RESIZE_BILINEAR_PARAMS_FIELDS)
} mcunet_resize_bilinear_params;

/* RESIZE_BILINEAR int8 (TF Lite Micro's integer path): four source pixels
 * weighted in 1/1024 steps, rounded half away from zero; raw values. */
int mcunet_resize_bilinear_s8(const mcunet_resize_bilinear_params* p, const int8_t* input,
                              int8_t* output);

/* clang-format off */
#define MCUNET_L2NORM_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                   \
  FIELD(int32_t, rows) FIELD(int32_t, depth) FIELD(int32_t, input_zero_point)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_L2NORM_PARAMS_FIELDS)
} mcunet_l2norm_params;

/* L2_NORMALIZATION int8 over the last axis; output scale 1/128, zero point 0. */
int mcunet_l2norm_s8(const mcunet_l2norm_params* p, const int8_t* input, int8_t* output);

/* clang-format off */
#define MCUNET_TRANSPOSE_CONV_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                           \
  FIELD(int32_t, batches) FIELD(int32_t, in_h) FIELD(int32_t, in_w) FIELD(int32_t, in_c)    \
  FIELD(int32_t, out_h) FIELD(int32_t, out_w) FIELD(int32_t, out_c)                         \
  FIELD(int32_t, k_h) FIELD(int32_t, k_w) FIELD(int32_t, stride_h) FIELD(int32_t, stride_w) \
  FIELD(int32_t, pad_top) FIELD(int32_t, pad_left)                                          \
  FIELD(int32_t, input_offset) FIELD(int32_t, output_offset)                                \
  FIELD(int32_t, act_min) FIELD(int32_t, act_max)                                           \
  POINTER(const int32_t, multiplier) POINTER(const int32_t, shift)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_TRANSPOSE_CONV_PARAMS_FIELDS)
} mcunet_transpose_conv_params;

/* TRANSPOSE_CONV int8, filter [out_c, k_h, k_w, in_c] per channel, optional
 * bias: each output pixel gathers the input pixels whose scattered window
 * covers it (the same int32 sums as TF Lite Micro's scatter), then requantises. */
int mcunet_transpose_conv_s8(const mcunet_transpose_conv_params* p, const int8_t* input,
                             const int8_t* filter, const int32_t* bias, int8_t* output);
/* TRANSPOSE_CONV 16x8: int16 input and output (zero points 0), the same filter,
 * optional int64 bias, int64 sums requantised as mcunet_requantize_s64. */
int mcunet_transpose_conv_s16(const mcunet_transpose_conv_params* p, const int16_t* input,
                              const int8_t* filter, const int64_t* bias, int16_t* output);

/* clang-format off */
#define MCUNET_RESIZE_NEAREST_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                           \
  FIELD(int32_t, batches) FIELD(int32_t, in_h) FIELD(int32_t, in_w)                         \
  FIELD(int32_t, out_h) FIELD(int32_t, out_w) FIELD(int32_t, pixel_bytes)                   \
  POINTER(const int32_t, y_index) /* source row of each output row */                       \
  POINTER(const int32_t, x_index) /* source column of each output column */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_RESIZE_NEAREST_PARAMS_FIELDS)
} mcunet_resize_nearest_params;

/* RESIZE_NEAREST_NEIGHBOR on NHWC data of any type: each output pixel copied
 * from the source pixel the host's index tables name. */
int mcunet_resize_nearest(const mcunet_resize_nearest_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_STRIDED_SLICE_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                            \
  ARRAY(int32_t, in_dims, 4) ARRAY(int32_t, start, 4) ARRAY(int32_t, stop, 4)               \
  ARRAY(int32_t, stride, 4) FIELD(int32_t, element_bytes)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_STRIDED_SLICE_PARAMS_FIELDS)
} mcunet_strided_slice_params;

/* STRIDED_SLICE over 4 dimensions (padded with 1): along each, indices from
 * start while below stop (stride > 0) or above it (stride < 0). Raw bytes. */
int mcunet_strided_slice(const mcunet_strided_slice_params* p, const void* input, void* output);

/* clang-format off */
#define MCUNET_LUT_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                      \
  FIELD(int32_t, count)                                                                     \
  POINTER(const int8_t, table) /* 256 entries: the output for input value v at v + 128 */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_LUT_PARAMS_FIELDS)
} mcunet_lut_params;

/* Any int8 -> int8 function of one element (activations, ABS, ...), through the
 * 256-entry table the host computed with TF Lite Micro's arithmetic. */
int mcunet_lut_s8(const mcunet_lut_params* p, const int8_t* input, int8_t* output);

/* SVDF int8: int8 input [batches][input_size], int8 weights_feature
 * [filters][input_size] (symmetric), int16 weights_time [filters][memory], int32
 * bias [filters / rank] (or NULL), int16 state [batches][filters][memory]
 * (symmetric; a variable tensor the kernel updates), int8 output
 * [batches][filters / rank], clamped to the int8 range only (TF Lite Micro's
 * int8 SVDF applies no fused activation). */
/* clang-format off */
#define MCUNET_SVDF_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                     \
  FIELD(int32_t, batches) FIELD(int32_t, input_size) FIELD(int32_t, filters)                \
  FIELD(int32_t, rank) FIELD(int32_t, memory)                                               \
  FIELD(int32_t, input_offset)  /* -input zero point */                                     \
  FIELD(int32_t, output_offset) /* output zero point */                                     \
  FIELD(int32_t, feature_multiplier) FIELD(int32_t, feature_shift) /* to the state's scale */\
  FIELD(int32_t, output_multiplier) FIELD(int32_t, output_shift)   /* to the output's */
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_SVDF_PARAMS_FIELDS)
} mcunet_svdf_params;

int mcunet_svdf_s8(const mcunet_svdf_params* p, const int8_t* input, const int8_t* weights_feature,
                   const int16_t* weights_time, const int32_t* bias, int16_t* state,
                   int8_t* output);

/* UNIDIRECTIONAL_SEQUENCE_LSTM int8 (TF Lite Micro's integer LSTM: int8 input,
 * weights and hidden state, int16 gates and cell state, int32 biases; no
 * peephole, projection or layer norm). Gates in TFLite's order: 0 input,
 * 1 forget, 2 cell, 3 output. Each gate is two fully connected products (input
 * with its bias, hidden state without) requantised to int16 Q3.12 and added
 * with saturation, then sigmoid (tanh for the cell gate) in Q0.15 through
 * `sigmoid_table` (256 entries, see src/ops/unidirectional_sequence_lstm.cc). */
/* clang-format off */
#define MCUNET_LSTM_PARAMS_FIELDS(FIELD, ARRAY, POINTER)                                     \
  FIELD(int32_t, batches) FIELD(int32_t, time_steps) FIELD(int32_t, time_major)             \
  FIELD(int32_t, input_size) FIELD(int32_t, units)                                          \
  FIELD(int32_t, input_offset)  /* -input zero point */                                     \
  FIELD(int32_t, hidden_offset) /* -hidden state zero point */                              \
  FIELD(int32_t, hidden_zero_point)                                                         \
  ARRAY(int32_t, input_multiplier, 4) ARRAY(int32_t, input_shift, 4)     /* to Q3.12 */     \
  ARRAY(int32_t, recurrent_multiplier, 4) ARRAY(int32_t, recurrent_shift, 4)                \
  FIELD(int32_t, forget_multiplier) FIELD(int32_t, forget_shift) /* f x c -> cell */       \
  FIELD(int32_t, update_multiplier) FIELD(int32_t, update_shift) /* i x g -> cell */       \
  FIELD(int32_t, hidden_multiplier) FIELD(int32_t, hidden_shift) /* tanh(c) x o -> h */    \
  FIELD(int32_t, cell_clip)         /* >= 0: the cell state is clamped to +-cell_clip */    \
  FIELD(int32_t, cell_tanh_multiplier) FIELD(int32_t, cell_tanh_shift) /* cell -> tanh input */\
  POINTER(const uint16_t, sigmoid_table)
/* clang-format on */
typedef struct {
  MCUNET_DECLARE_PARAMS(MCUNET_LSTM_PARAMS_FIELDS)
} mcunet_lstm_params;

/* input [batches][time][input_size] ([time][batches][...] if time_major);
 * weights: input_weights[g] [units][input_size], recurrent_weights[g]
 * [units][units], biases[g] [units] (symmetric int8 / int32); hidden
 * [batches][units] int8 and cell [batches][units] int16 are variable tensors the
 * kernel updates; output has the input's layout with `units` per step. */
int mcunet_lstm_s8(const mcunet_lstm_params* p, const int8_t* input,
                   const int8_t* const input_weights[4], const int8_t* const recurrent_weights[4],
                   const int32_t* const biases[4], int8_t* hidden, int16_t* cell, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* MCUNET_KERNELS_H_ */
