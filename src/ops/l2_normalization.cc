// L2_NORMALIZATION int8 over the last axis (rank <= 4), TF Lite Micro's integer
// path (kernels/l2norm_s8.c). Its result is always in scale 1/128, zero point 0,
// so the output must say so (TFLite's rule; TF Lite Micro does not check it).
#include <fmt/format.h>

#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class L2Normalization final : public PreparedOp {
 public:
  explicit L2Normalization(mcunet_l2norm_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"l2norm_s8.c",
            MCUNET_C_PARAMS(MCUNET_L2NORM_PARAMS_FIELDS, mcunet_l2norm_params, n.prefix, params_),
            fmt::format("mcunet_l2norm_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_l2norm_s8(&params_, static_cast<const int8_t*>(b.inputs[0]),
                            static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_l2norm_params params_;
};

}  // namespace

Status ParseTfliteL2Normalization(const tflite::Operator& op, Node*) {
  if (const auto* o = op.builtin_options_as_L2NormOptions()) {
    if (o->fused_activation_function() != tflite::ActivationFunctionType::NONE) {
      return Status::Error("a fused activation is not supported (TF Lite Micro refuses it too)");
    }
  }
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteL2Normalization(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                   const Node&) {
  return Options(tflite::BuiltinOptions::L2NormOptions, tflite::CreateL2NormOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareL2Normalization(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  const Tensor& in = In(g, node, 0);
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], in.shape, "output"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& out = Out(g, node);
  if (in.shape.empty() || in.shape.size() > 4) {
    return Status::Error(
        fmt::format("{}: input rank {} not in 1..4", NodeLabel(node), in.shape.size()));
  }
  if (out.quant.scale() != 1.0f / 128 || out.quant.zero_point() != 0) {
    return Status::Error(fmt::format("{}: output quantisation ({}, {}) must be (1/128, 0)",
                                     NodeLabel(node), out.quant.scale(), out.quant.zero_point()));
  }
  const int32_t depth = in.shape.back();
  // Squares of offsets up to 255 summed in int32.
  if (int64_t{depth} * 255 * 255 > std::numeric_limits<int32_t>::max()) {
    return Status::Error(fmt::format("{}: {} values per row overflow the int32 sum of squares",
                                     NodeLabel(node), depth));
  }
  mcunet_l2norm_params p{};
  p.depth = depth;
  p.rows = depth == 0 ? 0 : static_cast<int32_t>(in.NumElements() / depth);
  p.input_zero_point = in.quant.zero_point();
  return std::unique_ptr<PreparedOp>(new L2Normalization(p));
}

int64_t MacsL2Normalization(const Graph& g, const Node& node) {
  return 2 * In(g, node, 0).NumElements();
}

}  // namespace mcunet
