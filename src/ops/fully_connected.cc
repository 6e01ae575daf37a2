// FULLY_CONNECTED: input flattened to [batches, in_depth], int8 filter
// [out_depth, in_depth] quantised per tensor or per output channel, optional
// bias. int8 activations with an int32 bias, or 16x8: int16 activations with an
// int64 bias (TFLite's 16x8 scheme, its own kernel and requantisation).
#include <fmt/format.h>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class FullyConnected final : public PreparedOp {
 public:
  FullyConnected(mcunet_fc_params p, std::vector<int32_t> multiplier, std::vector<int32_t> shift,
                 bool wide)
      : params_(p), multiplier_(std::move(multiplier)), shift_(std::move(shift)), wide_(wide) {
    params_.multiplier = multiplier_.data();
    params_.shift = shift_.data();
  }
  int64_t ParameterBytes() const override {
    return static_cast<int64_t>(multiplier_.size() + shift_.size()) * 4;
  }
  // Row by row: output row b is written while input row b is read (both
  // kernels). Input and output elements have the same size: 1 byte, or 2 (16x8).
  int64_t InPlaceOffset(size_t input) const override {
    if (input != 0) return kNoInPlace;
    const int64_t element = wide_ ? 2 : 1;
    return SmallestSafeOffset(
        params_.batches, [&](int64_t t) { return t * params_.in_depth * element; },
        [&](int64_t t) { return (t + 1) * params_.out_depth * element; });
  }
  EmittedCall Emit(const EmitNames& n) const override {
    const char* act = wide_ ? "int16_t" : "int8_t";
    return {
        wide_ ? "fully_connected_s16.c" : "fully_connected_s8.c",
        CInt32Array(n.prefix + "_multiplier", multiplier_) +
            CInt32Array(n.prefix + "_shift", shift_) +
            MCUNET_C_PARAMS(MCUNET_FC_PARAMS_FIELDS, mcunet_fc_params, n.prefix, params_),
        fmt::format("mcunet_fully_connected_{}(&{}_params, {}, {}, {}, {})", wide_ ? "s16" : "s8",
                    n.prefix, CArg(std::string("const ") + act, n.inputs[0]),
                    CArg("const int8_t", n.inputs[1]),
                    CArg(wide_ ? "const int64_t" : "const int32_t",
                         n.inputs.size() > 2 ? n.inputs[2] : "NULL"),
                    CArg(act, n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    const void* bias = b.inputs.size() > 2 ? b.inputs[2] : nullptr;
    if (wide_) {
      return mcunet_fully_connected_s16(&params_, static_cast<const int16_t*>(b.inputs[0]),
                                        static_cast<const int8_t*>(b.inputs[1]),
                                        static_cast<const int64_t*>(bias),
                                        static_cast<int16_t*>(b.outputs[0]));
    }
    return mcunet_fully_connected_s8(
        &params_, static_cast<const int8_t*>(b.inputs[0]), static_cast<const int8_t*>(b.inputs[1]),
        static_cast<const int32_t*>(bias), static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_fc_params params_;
  std::vector<int32_t> multiplier_, shift_;
  bool wide_;  // 16x8
};

// TF Lite Micro 90b983c reads a 16x8 bias as int64.
Status Expect16x8Bias(const Graph& g, const Node& node) {
  if (In(g, node, 2).type != DataType::kInt64) {
    return Status::Error(fmt::format(
        "{}: bias ({}) is {}; a 16x8 FULLY_CONNECTED (int16 input) takes an int64 bias or none",
        NodeLabel(node), TensorLabel(g, node.inputs[2]), DataTypeName(In(g, node, 2).type)));
  }
  return OkStatus();
}

// Symmetric weights (TF Lite Micro's per-channel kernel ignores the weights'
// zero point) and sums within the int64 requantisation's range.
Status Check16x8Weights(const Graph& g, const Node& node, const std::vector<int64_t>& abs_sums) {
  for (int64_t zp : In(g, node, 1).quant.zero_points) {
    if (zp != 0) {
      return Status::Error(
          fmt::format("{}: filter zero point {} is not 0; 16x8 weights must be symmetric",
                      NodeLabel(node), zp));
    }
  }
  return CheckAccumulatorFits16x8(g, node, abs_sums);
}

}  // namespace

// The options table is optional: without it, no activation and flattened output.
Status ParseTfliteFullyConnected(const tflite::Operator& op, Node* node) {
  FullyConnectedAttrs a;
  if (const auto* o = op.builtin_options_as_FullyConnectedOptions()) {
    if (o->weights_format() != tflite::FullyConnectedOptionsWeightsFormat::DEFAULT) {
      return Status::Error("shuffled weights format is not supported");
    }
    MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
    a.keep_num_dims = o->keep_num_dims();
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteFullyConnected(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                  const Node& node) {
  const auto& a = std::get<FullyConnectedAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::FullyConnectedOptions,
                 tflite::CreateFullyConnectedOptions(
                     b, ActivationToTflite(a.activation),
                     tflite::FullyConnectedOptionsWeightsFormat::DEFAULT, a.keep_num_dims));
}

Expected<std::unique_ptr<PreparedOp>> PrepareFullyConnected(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  // 16x8 when the input is int16; the input's type then decides every check.
  const bool wide = In(g, node, 0).type == DataType::kInt16;
  const DataType act = wide ? DataType::kInt16 : DataType::kInt8;
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, act));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt8, 2));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, act));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& input = In(g, node, 0);
  const Tensor& filter = In(g, node, 1);
  const Tensor& output = Out(g, node);
  const auto& attrs = std::get<FullyConnectedAttrs>(node.attrs);
  const int32_t out_depth = filter.shape[0], in_depth = filter.shape[1];
  if (in_depth == 0 || input.shape.empty() || input.NumElements() % in_depth != 0) {
    return Status::Error(fmt::format("{}: input {} cannot be flattened to rows of {}",
                                     NodeLabel(node), input.ShapeString(), in_depth));
  }
  const int32_t batches = static_cast<int32_t>(input.NumElements() / in_depth);
  std::vector<int32_t> expected = {batches, out_depth};
  if (attrs.keep_num_dims) {
    expected = input.shape;
    expected.back() = out_depth;
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
    MCUNET_RETURN_IF_ERROR(wide ? Expect16x8Bias(g, node)
                                : ExpectInput(g, node, 2, DataType::kInt32));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 2));
    if (In(g, node, 2).NumElements() != out_depth) {
      return Status::Error(fmt::format("{}: bias has {} values for {} outputs", NodeLabel(node),
                                       In(g, node, 2).NumElements(), out_depth));
    }
  }
  std::vector<int64_t> abs_sums(out_depth, 0);
  const int32_t filter_zp = filter.quant.zero_point();
  for (int64_t i = 0; i < filter.NumElements() && !filter.data.empty(); ++i) {
    abs_sums[i / in_depth] += std::abs(filter.DataAs<int8_t>()[i] - filter_zp);
  }
  MCUNET_RETURN_IF_ERROR(wide ? Check16x8Weights(g, node, abs_sums)
                              : CheckAccumulatorFits(g, node, abs_sums));
  const size_t scales = filter.quant.scales.size();
  if (scales != 1 && scales != static_cast<size_t>(out_depth)) {
    return Status::Error(
        fmt::format("{}: filter has {} scales for {} outputs", NodeLabel(node), scales, out_depth));
  }
  std::vector<int32_t> multiplier, shift;
  for (size_t c = 0; c < scales; ++c) {
    // Per tensor, TFLite multiplies the two scales in float first
    // (GetQuantizedConvolutionMultipler); per channel it works in double.
    const double product = scales == 1
                               ? static_cast<double>(input.quant.scale() * filter.quant.scales[0])
                               : static_cast<double>(input.quant.scale()) * filter.quant.scales[c];
    const QuantizedMultiplier m = QuantizeMultiplier(product / output.quant.scale());
    // TFLite's int64 requantisation takes non-negative multipliers and shifts up to 7.
    if (wide && (m.multiplier < 0 || m.shift > 7)) {
      return Status::Error(fmt::format(
          "{}: channel {} rescales by {} (input scale x filter scale / output scale); a 16x8 "
          "FULLY_CONNECTED takes a positive factor below 128",
          NodeLabel(node), c, product / output.quant.scale()));
    }
    multiplier.push_back(m.multiplier);
    shift.push_back(m.shift);
  }
  mcunet_fc_params p{};
  p.batches = batches, p.in_depth = in_depth, p.out_depth = out_depth;
  p.input_offset = -input.quant.zero_point();
  p.filter_offset = -filter.quant.zero_point();
  p.output_offset = output.quant.zero_point();
  const ClampRange range =
      wide ? ActivationRangeInt16(attrs.activation, output.quant.scale(), output.quant.zero_point())
           : ActivationRangeInt8(attrs.activation, output.quant.scale(), output.quant.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  p.per_channel = scales > 1;
  return std::unique_ptr<PreparedOp>(
      new FullyConnected(p, std::move(multiplier), std::move(shift), wide));
}

int64_t MacsFullyConnected(const Graph& g, const Node& node) {
  return Out(g, node).NumElements() * In(g, node, 1).shape[1];
}

}  // namespace mcunet
