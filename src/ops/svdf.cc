// SVDF int8 (TF Lite Micro's integer path with int16 time weights and state):
// a rank-`rank` factorisation of a filter over the last `memory` inputs. The
// state, input 4, is a variable tensor [batches, filters * memory] that the
// kernel updates in place; inputs: int8 input [batches, input_size], int8
// weights_feature [filters, input_size], int16 weights_time [filters, memory],
// optional int32 bias [filters / rank]; output int8 [batches, filters / rank].
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

constexpr size_t kState = 4;

class Svdf final : public PreparedOp {
 public:
  explicit Svdf(mcunet_svdf_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"svdf_s8.c",
            MCUNET_C_PARAMS(MCUNET_SVDF_PARAMS_FIELDS, mcunet_svdf_params, n.prefix, params_),
            fmt::format("mcunet_svdf_s8(&{}_params, {}, {}, {}, {}, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("const int8_t", n.inputs[1]),
                        CArg("const int16_t", n.inputs[2]), CArg("const int32_t", n.inputs[3]),
                        CArg("int16_t", n.inputs[kState]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    // The state is an input the op owns and updates: its bytes are the arena's.
    return mcunet_svdf_s8(
        &params_, static_cast<const int8_t*>(b.inputs[0]), static_cast<const int8_t*>(b.inputs[1]),
        static_cast<const int16_t*>(b.inputs[2]), static_cast<const int32_t*>(b.inputs[3]),
        static_cast<int16_t*>(const_cast<void*>(b.inputs[kState])),
        static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_svdf_params params_;
};

Status ExpectSymmetric(const Graph& g, const Node& node, size_t i, const char* role) {
  if (In(g, node, i).quant.zero_point() != 0) {
    return Status::Error(fmt::format("{}: {} ({}) has zero point {}; SVDF takes symmetric {}",
                                     NodeLabel(node), role, TensorLabel(g, node.inputs[i]),
                                     In(g, node, i).quant.zero_point(), role));
  }
  return OkStatus();
}

// TF Lite Micro's Prepare multiplies the scales in float and widens the result.
double FloatRatio(float a, float b, float c) { return static_cast<double>(a * b / c); }

}  // namespace

Status ParseTfliteSvdf(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_SVDFOptions();
  if (!o) return MissingOptions("SVDFOptions");
  SvdfAttrs a;
  a.rank = o->rank();
  MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteSvdf(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                        const Node& node) {
  const auto& a = std::get<SvdfAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::SVDFOptions,
                 tflite::CreateSVDFOptions(b, a.rank, ActivationToTflite(a.activation)));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSvdf(const Graph& g, const Node& node) {
  const auto& attrs = std::get<SvdfAttrs>(node.attrs);
  // The bias (input 3) alone may be omitted.
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 3, 5, 1));
  if (node.inputs.size() != 5 || node.inputs[kState] < 0) {
    return Status::Error(fmt::format(
        "{}: has no activation state; SVDF takes 5 inputs, the state (a variable tensor) last",
        NodeLabel(node)));
  }
  if (In(g, node, 0).type != DataType::kInt8) {
    return Status::Error(fmt::format("{}: input ({}) is {}; only int8 SVDF is supported",
                                     NodeLabel(node), TensorLabel(g, node.inputs[0]),
                                     DataTypeName(In(g, node, 0).type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8, 2));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt8, 2));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  if (node.inputs[2] >= 0 && In(g, node, 2).type == DataType::kInt8) {
    return Status::Error(fmt::format(
        "{}: weights_time ({}) is int8; only int16 time weights and state are supported",
        NodeLabel(node), TensorLabel(g, node.inputs[2])));
  }
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 2, DataType::kInt16, 2));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 2));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, kState, DataType::kInt16, 2));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8, 2));
  const Tensor& input = In(g, node, 0);
  const Tensor& feature = In(g, node, 1);
  const Tensor& time = In(g, node, 2);
  const Tensor& state = In(g, node, kState);
  const Tensor& output = Out(g, node);
  if (!state.is_variable) {
    return Status::Error(fmt::format(
        "{}: activation_state ({}) is not a variable tensor; SVDF keeps its state there",
        NodeLabel(node), TensorLabel(g, node.inputs[kState])));
  }
  for (const auto& [tensor, role] : {std::pair{node.inputs[0], "input"},
                                     {node.inputs[1], "weights_feature"},
                                     {node.inputs[2], "weights_time"},
                                     {node.inputs[kState], "activation_state"},
                                     {node.outputs[0], "output"}}) {
    MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, tensor, role));
  }
  MCUNET_RETURN_IF_ERROR(ExpectSymmetric(g, node, 1, "weights_feature"));
  if (attrs.activation != Activation::kNone && attrs.activation != Activation::kRelu) {
    return Status::Error(fmt::format("{}: fused activation {} is not supported (NONE or RELU)",
                                     NodeLabel(node), ActivationName(attrs.activation)));
  }
  const int32_t batches = input.shape[0], input_size = input.shape[1];
  const int32_t filters = feature.shape[0], memory = time.shape[1];
  if (attrs.rank < 1 || filters % attrs.rank != 0) {
    return Status::Error(
        fmt::format("{}: rank {} does not divide the {} filters of weights_feature",
                    NodeLabel(node), attrs.rank, filters));
  }
  const int32_t units = filters / attrs.rank;
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.inputs[1], {filters, input_size}, "weights_feature"));
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.inputs[2], {filters, memory}, "weights_time"));
  if (memory < 1) {
    return Status::Error(
        fmt::format("{}: weights_time has memory size {}", NodeLabel(node), memory));
  }
  // filters x memory fits: weights_time holds that many int16 values, and the
  // reader keeps tensors below 2^31 bytes.
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.inputs[kState], {batches, filters * memory}, "activation_state"));
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], {batches, units}, "output"));
  if (node.inputs[3] >= 0) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 3, DataType::kInt32));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 3));
    MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.inputs[3], {units}, "bias"));
    // TF Lite Micro's check: the bias is in the time product's scale.
    const Tensor& bias = In(g, node, 3);
    const double expected = static_cast<double>(state.quant.scale() * time.quant.scale());
    if (bias.quant.empty() ||
        !(std::abs(static_cast<double>(bias.quant.scale()) - expected) < 1e-5)) {
      return Status::Error(fmt::format(
          "{}: bias ({}) scale {} is not activation_state scale x weights_time scale ({})",
          NodeLabel(node), TensorLabel(g, node.inputs[3]), bias.quant.scale(), expected));
    }
  }
  // The feature dot product sums in int32 (x - zero point within +-255).
  for (int32_t f = 0; f < filters && !feature.data.empty(); ++f) {
    int64_t abs_sum = 0;
    for (int32_t i = 0; i < input_size; ++i) {
      abs_sum += std::abs(int64_t{feature.DataAs<int8_t>()[int64_t{f} * input_size + i]});
    }
    if (255 * abs_sum > std::numeric_limits<int32_t>::max()) {
      return Status::Error(fmt::format(
          "{}: filter {} of weights_feature could overflow the int32 accumulator (worst case {})",
          NodeLabel(node), f, 255 * abs_sum));
    }
  }
  const QuantizedMultiplier m1 = QuantizeMultiplier(
      FloatRatio(input.quant.scale(), feature.quant.scale(), state.quant.scale()));
  const QuantizedMultiplier m2 =
      QuantizeMultiplier(FloatRatio(state.quant.scale(), time.quant.scale(), output.quant.scale()));
  mcunet_svdf_params p{};
  p.batches = batches, p.input_size = input_size, p.filters = filters;
  p.rank = attrs.rank, p.memory = memory;
  p.input_offset = -input.quant.zero_point();
  p.output_offset = output.quant.zero_point();
  p.feature_multiplier = m1.multiplier, p.feature_shift = m1.shift;
  p.output_multiplier = m2.multiplier, p.output_shift = m2.shift;
  return std::unique_ptr<PreparedOp>(new Svdf(p));
}

int64_t MacsSvdf(const Graph& g, const Node& node) {
  const Tensor& time = In(g, node, 2);
  return In(g, node, 0).shape[0] * (In(g, node, 1).NumElements() + time.NumElements());
}

}  // namespace mcunet
