// What CONV_2D and DEPTHWISE_CONV_2D share: checks of the weight and bias
// tensors and per-channel requantisation (TFLite's PopulateConvolutionQuantizationParams).
#pragma once

#include <vector>

#include "core/status.h"
#include "ir/graph.h"
#include "kernels/mcunet_kernels.h"
#include "ops/op.h"

namespace mcunet {

struct ConvQuant {
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
};

// Input 1 is an int8 constant filter quantised per tensor or per channel along
// `channel_dim` (zero points 0); input 2, if present, a constant bias of
// `channels` values of `bias_type` (int32; int64 for 16x8). Returns one
// multiplier and shift per output channel.
Expected<ConvQuant> PrepareConvQuant(const Graph& g, const Node& node, int channel_dim,
                                     int32_t channels, DataType bias_type = DataType::kInt32);

using ConvKernel = int (*)(const mcunet_conv_params*, const int8_t*, const int8_t*, const int32_t*,
                           int8_t*, int8_t*);

// The filter's int8 values and the bias's int32 values of a convolution node,
// for MakeConvOp: both nullptr when either is a constant without data (shape-only
// graphs), so that no filter is relaid without its bias.
struct ConstantData {
  const int8_t* filter = nullptr;
  const int32_t* bias = nullptr;
  bool has_bias = false;  // the node has a bias, its values given or not
};
// A prepared CONV_2D or DEPTHWISE_CONV_2D: parameters, per-channel requantisation,
// kernel; the constants' data (none: shape-only graphs) let the op store its
// generated C's filter in the order that C reads (PreparedOp::EmittedConstant)
// and negate the channels of negative multipliers for the DSP cores' assembly;
// whether the node has a bias decides the DSP cores' layout (and their Flash).
std::unique_ptr<PreparedOp> MakeConvOp(ConvKernel kernel, mcunet_conv_params params,
                                       ConvQuant quant, const ConstantData& data = {});

// Filter rows of n values (a multiple of 4), out_c of them, interleaved in
// pairs four values at a time, as mcunet_filter_pair (kernels/mcunet_dot.h) reads them.
std::vector<uint8_t> FilterRowsInPairs(const int8_t* rows, int32_t out_c, int64_t n);

ConstantData ConvConstants(const Graph& g, const Node& node);

// Fills geometry, offsets and clamp bounds shared by both convolutions and checks
// the output shape. Input 0 is NHWC, output NHWC with `out_c` channels; the
// clamp bounds are within int8, or int16 for an int16 output.
Status FillConvParams(const Graph& g, const Node& node, const ConvAttrs& attrs, int32_t k_h,
                      int32_t k_w, int32_t out_c, mcunet_conv_params* p);

}  // namespace mcunet
