// DEPTHWISE_CONV_2D: int8 NHWC input, int8 per-channel filter [1, k_h, k_w, out_c],
// out_c = in_c * depth_multiplier, optional int32 bias; or 16x8: int16 input and
// output with an int64 bias (ops/conv_16x8.h).
#include <fmt/format.h>

#include "ops/conv_16x8.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteDepthwiseConv2D(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_DepthwiseConv2DOptions();
  if (!o) return MissingOptions("DepthwiseConv2DOptions");
  ConvAttrs a;
  a.padding = PaddingFromTflite(o->padding());
  a.stride_h = o->stride_h(), a.stride_w = o->stride_w();
  a.dilation_h = o->dilation_h_factor(), a.dilation_w = o->dilation_w_factor();
  a.depth_multiplier = o->depth_multiplier();
  MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteDepthwiseConv2D(flatbuffers::FlatBufferBuilder& b,
                                                   const Graph&, const Node& node) {
  const auto& a = std::get<ConvAttrs>(node.attrs);
  MCUNET_ASSIGN_OR_RETURN(tflite::Padding padding, PaddingToTflite(a.padding));
  return Options(tflite::BuiltinOptions::DepthwiseConv2DOptions,
                 tflite::CreateDepthwiseConv2DOptions(
                     b, padding, a.stride_w, a.stride_h, a.depth_multiplier,
                     ActivationToTflite(a.activation), a.dilation_w, a.dilation_h));
}

Expected<std::unique_ptr<PreparedOp>> PrepareDepthwiseConv2D(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  // 16x8 when the input is int16; the input's type then decides every check.
  const bool wide = In(g, node, 0).type == DataType::kInt16;
  const DataType act = wide ? DataType::kInt16 : DataType::kInt8;
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, act, 4));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, act, 4));
  const Tensor& input = In(g, node, 0);
  const Tensor& filter = In(g, node, 1);
  const int32_t out_c = filter.shape[3];
  // TFLite derives the multiplier from the shapes; the stored option is advisory.
  if (filter.shape[0] != 1 || input.shape[3] == 0 || out_c % input.shape[3] != 0) {
    return Status::Error(fmt::format("{}: filter {} does not fit input {}", NodeLabel(node),
                                     filter.ShapeString(), input.ShapeString()));
  }
  MCUNET_ASSIGN_OR_RETURN(
      ConvQuant quant,
      PrepareConvQuant(g, node, 3, out_c, wide ? DataType::kInt64 : DataType::kInt32));
  std::vector<int64_t> abs_sums(out_c, 0);
  for (int64_t i = 0; i < filter.NumElements() && !filter.data.empty(); ++i) {
    abs_sums[i % out_c] += std::abs(int{filter.DataAs<int8_t>()[i]});
  }
  MCUNET_RETURN_IF_ERROR(wide ? Check16x8Conv(g, node, quant, abs_sums)
                              : CheckAccumulatorFits(g, node, abs_sums));
  mcunet_conv_params p;
  MCUNET_RETURN_IF_ERROR(FillConvParams(g, node, std::get<ConvAttrs>(node.attrs), filter.shape[1],
                                        filter.shape[2], out_c, &p));
  p.depth_multiplier = out_c / input.shape[3];
  if (wide) return MakeConv16x8Op(Conv16x8Kind::kDepthwise, p, std::move(quant));
  // Multiplier 1 without dilation (nearly every model): the kernel that bounds
  // the window once per pixel (kernels/depthwise_conv_dm1_s8.c), same result.
  const bool plain = p.depth_multiplier == 1 && p.dilation_h == 1 && p.dilation_w == 1;
  const ConstantData data = ConvConstants(g, node);
  return MakeConvOp(plain ? mcunet_depthwise_conv2d_dm1_s8 : mcunet_depthwise_conv2d_s8, p,
                    std::move(quant), data);
}

int64_t MacsDepthwiseConv2D(const Graph& g, const Node& node) {
  const Tensor& filter = In(g, node, 1);
  return Out(g, node).NumElements() * filter.shape[1] * filter.shape[2];
}

}  // namespace mcunet
