// CONV_2D: int8 NHWC input, int8 per-channel filter [out_c, k_h, k_w, in_c / groups],
// optional int32 bias; or 16x8: int16 input and output with an int64 bias
// (ops/conv_16x8.h). Grouped convolution when the filter has fewer input channels.
#include <fmt/format.h>

#include "ops/conv_16x8.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteConv2D(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_Conv2DOptions();
  if (!o) return MissingOptions("Conv2DOptions");
  ConvAttrs a;
  a.padding = PaddingFromTflite(o->padding());
  a.stride_h = o->stride_h(), a.stride_w = o->stride_w();
  a.dilation_h = o->dilation_h_factor(), a.dilation_w = o->dilation_w_factor();
  MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteConv2D(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                          const Node& node) {
  const auto& a = std::get<ConvAttrs>(node.attrs);
  MCUNET_ASSIGN_OR_RETURN(tflite::Padding padding, PaddingToTflite(a.padding));
  return Options(tflite::BuiltinOptions::Conv2DOptions,
                 tflite::CreateConv2DOptions(b, padding, a.stride_w, a.stride_h,
                                             ActivationToTflite(a.activation), a.dilation_w,
                                             a.dilation_h));
}

Expected<std::unique_ptr<PreparedOp>> PrepareConv2D(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  // 16x8 when the input is int16; the input's type then decides every check.
  const bool wide = In(g, node, 0).type == DataType::kInt16;
  const DataType act = wide ? DataType::kInt16 : DataType::kInt8;
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, act, 4));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, act, 4));
  const Tensor& input = In(g, node, 0);
  const Tensor& filter = In(g, node, 1);
  const int32_t out_c = filter.shape[0], filter_in_c = filter.shape[3];
  if (filter_in_c <= 0 || input.shape[3] % filter_in_c != 0 ||
      out_c % (input.shape[3] / filter_in_c) != 0) {
    return Status::Error(fmt::format("{}: filter {} does not fit input {} (channels per group)",
                                     NodeLabel(node), filter.ShapeString(), input.ShapeString()));
  }
  MCUNET_ASSIGN_OR_RETURN(
      ConvQuant quant,
      PrepareConvQuant(g, node, 0, out_c, wide ? DataType::kInt64 : DataType::kInt32));
  std::vector<int64_t> abs_sums(out_c, 0);
  const int64_t per_filter = filter.NumElements() / std::max(out_c, 1);
  for (int64_t i = 0; i < filter.NumElements() && !filter.data.empty(); ++i) {
    abs_sums[i / per_filter] += std::abs(int{filter.DataAs<int8_t>()[i]});
  }
  MCUNET_RETURN_IF_ERROR(wide ? Check16x8Conv(g, node, quant, abs_sums)
                              : CheckAccumulatorFits(g, node, abs_sums));
  mcunet_conv_params p;
  MCUNET_RETURN_IF_ERROR(FillConvParams(g, node, std::get<ConvAttrs>(node.attrs), filter.shape[1],
                                        filter.shape[2], out_c, &p));
  p.filter_in_c = filter_in_c;
  if (wide) return MakeConv16x8Op(Conv16x8Kind::kConv, p, std::move(quant));
  // Same result from every kernel. A 1x1 filter at stride 1 over one group is a
  // matrix product over pixels (kernels/conv_1x1_s8.c); other single-group,
  // undilated filters gather two windows into a planned scratch buffer and take
  // the same blocked product (kernels/conv_im2col_s8.c); the rest (groups,
  // dilation) run the reference loops.
  const bool one_group = filter_in_c == p.in_c;
  const bool pointwise = one_group && p.k_h == 1 && p.k_w == 1 && p.stride_h == 1 &&
                         p.stride_w == 1 && p.out_h == p.in_h && p.out_w == p.in_w;
  const bool gathered = one_group && p.dilation_h == 1 && p.dilation_w == 1;
  const ConstantData data = ConvConstants(g, node);
  return MakeConvOp(
      pointwise ? mcunet_conv1x1_s8 : (gathered ? mcunet_conv2d_im2col_s8 : mcunet_conv2d_s8), p,
      std::move(quant), data);
}

int64_t MacsConv2D(const Graph& g, const Node& node) {
  const Tensor& filter = In(g, node, 1);
  return Out(g, node).NumElements() * filter.shape[1] * filter.shape[2] * filter.shape[3];
}

}  // namespace mcunet
