// TRANSPOSE_CONV int8: inputs output_shape (int32 [4]), filter int8 [out_c, k_h,
// k_w, in_c] quantised per tensor or per output channel (zero point 0), input
// int8 NHWC, optional int32 bias. As TF Lite Micro at 90b983c: padding derived
// from the output size, per-channel multipliers in double, the fused activation
// applied (its PR #3278), no dilation. 16x8 when the input is int16: int16
// input and output with zero points 0, optional int64 bias, the 16x8 limits of
// ops/conv_16x8.h (kernels/transpose_conv_s16.c).
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/quant_math.h"
#include "kernels/mcunet_kernels.h"
#include "ops/conv_16x8.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class TransposeConv final : public PreparedOp {
 public:
  TransposeConv(bool wide, mcunet_transpose_conv_params p, std::vector<int32_t> multiplier,
                std::vector<int32_t> shift)
      : wide_(wide), params_(p), multiplier_(std::move(multiplier)), shift_(std::move(shift)) {
    params_.multiplier = multiplier_.data();
    params_.shift = shift_.data();
  }
  int64_t ParameterBytes() const override {
    return 4 * static_cast<int64_t>(multiplier_.size() + shift_.size());
  }
  EmittedCall Emit(const EmitNames& n) const override {
    const char* act = wide_ ? "int16_t" : "int8_t";
    return {
        wide_ ? "transpose_conv_s16.c" : "transpose_conv_s8.c",
        CInt32Array(n.prefix + "_multiplier", multiplier_) +
            CInt32Array(n.prefix + "_shift", shift_) +
            MCUNET_C_PARAMS(MCUNET_TRANSPOSE_CONV_PARAMS_FIELDS, mcunet_transpose_conv_params,
                            n.prefix, params_),
        fmt::format("mcunet_transpose_conv_{}(&{}_params, {}, {}, {}, {})", wide_ ? "s16" : "s8",
                    n.prefix, CArg(fmt::format("const {}", act), n.inputs[2]),
                    CArg("const int8_t", n.inputs[1]),
                    CArg(wide_ ? "const int64_t" : "const int32_t",
                         n.inputs.size() > 3 ? n.inputs[3] : "NULL"),
                    CArg(act, n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    const auto* filter = static_cast<const int8_t*>(b.inputs[1]);
    const void* bias = b.inputs.size() > 3 ? b.inputs[3] : nullptr;
    if (wide_) {
      return mcunet_transpose_conv_s16(&params_, static_cast<const int16_t*>(b.inputs[2]), filter,
                                       static_cast<const int64_t*>(bias),
                                       static_cast<int16_t*>(b.outputs[0]));
    }
    return mcunet_transpose_conv_s8(&params_, static_cast<const int8_t*>(b.inputs[2]), filter,
                                    static_cast<const int32_t*>(bias),
                                    static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  bool wide_;  // 16x8
  mcunet_transpose_conv_params params_;
  std::vector<int32_t> multiplier_, shift_;
};

// TF Lite's padding for a transposed convolution, computed from its output size.
int32_t TransposePadding(Padding padding, int32_t out, int32_t k, int32_t stride) {
  const int32_t size =
      padding == Padding::kSame ? (out + stride - 1) / stride : (out + stride - k) / stride;
  return std::max((size - 1) * stride + k - out, 0) / 2;
}

}  // namespace

Status ParseTfliteTransposeConv(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_TransposeConvOptions();
  if (!o) return MissingOptions("TransposeConvOptions");
  ConvAttrs a;
  a.padding = PaddingFromTflite(o->padding());
  a.stride_h = o->stride_h(), a.stride_w = o->stride_w();
  MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteTransposeConv(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                 const Node& node) {
  const auto& a = std::get<ConvAttrs>(node.attrs);
  MCUNET_ASSIGN_OR_RETURN(tflite::Padding padding, PaddingToTflite(a.padding));
  return Options(tflite::BuiltinOptions::TransposeConvOptions,
                 tflite::CreateTransposeConvOptions(b, padding, a.stride_w, a.stride_h,
                                                    ActivationToTflite(a.activation)));
}

Expected<std::unique_ptr<PreparedOp>> PrepareTransposeConv(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 3, 4, 1));
  // 16x8 when the input is int16; the input's type then decides every check.
  const bool wide = In(g, node, 2).type == DataType::kInt16;
  const DataType act = wide ? DataType::kInt16 : DataType::kInt8;
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt32, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 2, act, 4));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, act, 4));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[2], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const auto& a = std::get<ConvAttrs>(node.attrs);
  const Tensor& shape = In(g, node, 0);
  const Tensor& filter = In(g, node, 1);
  const Tensor& in = In(g, node, 2);
  const Tensor& out = Out(g, node);
  const int32_t out_c = filter.shape[0], k_h = filter.shape[1], k_w = filter.shape[2];
  if (filter.shape[3] != in.shape[3] || out.shape[3] != out_c || out.shape[0] != in.shape[0]) {
    return Status::Error(fmt::format("{}: filter {} does not map input {} to output {}",
                                     NodeLabel(node), filter.ShapeString(), in.ShapeString(),
                                     out.ShapeString()));
  }
  if (shape.is_constant &&
      (shape.NumElements() != 4 ||
       !std::equal(out.shape.begin(), out.shape.end(), shape.DataAs<int32_t>()))) {
    return Status::Error(fmt::format("{}: output_shape {} disagrees with the output tensor {}",
                                     NodeLabel(node), TensorLabel(g, node.inputs[0]),
                                     out.ShapeString()));
  }
  if (a.padding != Padding::kSame && a.padding != Padding::kValid) {
    return Status::Error(NodeLabel(node) + ": padding must be SAME or VALID");
  }
  MCUNET_RETURN_IF_ERROR(CheckWindow(node, k_h, k_w, a.stride_h, a.stride_w, 1, 1));
  // Every output pixel must be reachable as TF Lite Micro's scatter writes it.
  const int32_t pad_top = TransposePadding(a.padding, out.shape[1], k_h, a.stride_h);
  const int32_t pad_left = TransposePadding(a.padding, out.shape[2], k_w, a.stride_w);
  // Per-channel requantisation, in double as TF Lite's PopulateConvolutionQuantizationParams.
  const size_t scales = filter.quant.scales.size();
  if (scales != 1 && scales != static_cast<size_t>(out_c)) {
    return Status::Error(fmt::format("{}: filter has {} scales for {} output channels",
                                     NodeLabel(node), scales, out_c));
  }
  for (int64_t zp : filter.quant.zero_points) {
    if (zp != 0) {
      return Status::Error(fmt::format("{}: filter zero point {} must be 0", NodeLabel(node), zp));
    }
  }
  if (node.inputs.size() > 3 && node.inputs[3] >= 0) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 3, wide ? DataType::kInt64 : DataType::kInt32, 1));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 3));
    if (In(g, node, 3).NumElements() != out_c) {
      return Status::Error(fmt::format("{}: bias has {} values for {} output channels",
                                       NodeLabel(node), In(g, node, 3).NumElements(), out_c));
    }
  }
  std::vector<int32_t> multiplier, shift;
  std::vector<int64_t> abs_sums(out_c, 0);
  const int64_t per_filter = int64_t{k_h} * k_w * filter.shape[3];
  for (int32_t c = 0; c < out_c; ++c) {
    const double effective = static_cast<double>(in.quant.scale()) *
                             static_cast<double>(filter.quant.scales[scales == 1 ? 0 : c]) /
                             static_cast<double>(out.quant.scale());
    const QuantizedMultiplier m = QuantizeMultiplier(effective);
    multiplier.push_back(m.multiplier);
    shift.push_back(m.shift);
    for (int64_t i = 0; i < per_filter; ++i) {
      abs_sums[c] += std::abs(int{filter.DataAs<int8_t>()[c * per_filter + i]});
    }
  }
  MCUNET_RETURN_IF_ERROR(wide ? Check16x8Conv(g, node, ConvQuant{multiplier, shift}, abs_sums,
                                              /*bias=*/3)
                              : CheckAccumulatorFits(g, node, abs_sums));
  mcunet_transpose_conv_params p{};
  p.batches = in.shape[0], p.in_h = in.shape[1], p.in_w = in.shape[2], p.in_c = in.shape[3];
  p.out_h = out.shape[1], p.out_w = out.shape[2], p.out_c = out_c;
  p.k_h = k_h, p.k_w = k_w, p.stride_h = a.stride_h, p.stride_w = a.stride_w;
  p.pad_top = pad_top, p.pad_left = pad_left;
  p.input_offset = -in.quant.zero_point();
  p.output_offset = out.quant.zero_point();
  const ClampRange range =
      wide ? ActivationRangeInt16(a.activation, out.quant.scale(), out.quant.zero_point())
           : ActivationRangeInt8(a.activation, out.quant.scale(), out.quant.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  return std::unique_ptr<PreparedOp>(
      new TransposeConv(wide, p, std::move(multiplier), std::move(shift)));
}

int64_t MacsTransposeConv(const Graph& g, const Node& node) {
  const Tensor& filter = In(g, node, 1);
  return In(g, node, 2).NumElements() / std::max(filter.shape[3], 1) * filter.shape[0] *
         filter.shape[1] * filter.shape[2] * filter.shape[3];
}

}  // namespace mcunet
