// SOFTMAX: int8 in, int8 or int16 out with TFLite's fixed output quantisation
// (1/256 and -128; 1/65536 and -32768); or float32 in and out.
#include <fmt/format.h>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/softmax_scaling.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class Softmax final : public PreparedOp {
 public:
  Softmax(mcunet_softmax_params p, bool wide) : params_(p), wide_(wide) {}
  // A row is read in full (maximum, sum) before its first write, and its last
  // pass reads element c before writing element c.
  // (An int16 output, twice the input's bytes, cannot start over it.)
  int64_t InPlaceOffset(size_t) const override { return wide_ ? kNoInPlace : 0; }
  EmittedCall Emit(const EmitNames& n) const override {
    return {
        "softmax_s8.c",
        MCUNET_C_PARAMS(MCUNET_SOFTMAX_PARAMS_FIELDS, mcunet_softmax_params, n.prefix, params_),
        fmt::format("{}(&{}_params, {}, {})", wide_ ? "mcunet_softmax_s8_s16" : "mcunet_softmax_s8",
                    n.prefix, CArg("const int8_t", n.inputs[0]),
                    CArg(wide_ ? "int16_t" : "int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    const auto* in = static_cast<const int8_t*>(b.inputs[0]);
    if (wide_) return mcunet_softmax_s8_s16(&params_, in, static_cast<int16_t*>(b.outputs[0]));
    return mcunet_softmax_s8(&params_, in, static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_softmax_params params_;
  bool wide_;
};

// float32 rows: one class for SOFTMAX and LOG_SOFTMAX (kernels/softmax_f32.c).
class FloatSoftmax final : public PreparedOp {
 public:
  FloatSoftmax(mcunet_softmax_f32_params p, bool log) : params_(p), log_(log) {}
  // A row is read in full (maximum) before its first write, then element c is
  // read before element c is written.
  int64_t InPlaceOffset(size_t) const override { return 0; }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"softmax_f32.c",
            MCUNET_C_PARAMS(MCUNET_SOFTMAX_F32_PARAMS_FIELDS, mcunet_softmax_f32_params, n.prefix,
                            params_),
            fmt::format("{}(&{}_params, {}, {})",
                        log_ ? "mcunet_log_softmax_f32" : "mcunet_softmax_f32", n.prefix,
                        CArg("const float", n.inputs[0]), CArg("float", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    const auto* in = static_cast<const float*>(b.inputs[0]);
    auto* out = static_cast<float*>(b.outputs[0]);
    return log_ ? mcunet_log_softmax_f32(&params_, in, out) : mcunet_softmax_f32(&params_, in, out);
  }

 private:
  mcunet_softmax_f32_params params_;
  bool log_;
};

}  // namespace

bool IsFloatSoftmax(const Graph& g, const Node& node) {
  return !node.inputs.empty() && node.inputs[0] >= 0 && In(g, node, 0).type == DataType::kFloat32;
}

Expected<std::unique_ptr<PreparedOp>> PrepareFloatSoftmax(const Graph& g, const Node& node,
                                                          float beta, bool log) {
  MCUNET_RETURN_IF_ERROR(ExpectSoftmaxRows(g, node, DataType::kFloat32, DataType::kFloat32));
  const Tensor& in = In(g, node, 0);
  mcunet_softmax_f32_params p{};
  p.depth = in.shape.back();
  p.rows = p.depth == 0 ? 0 : static_cast<int32_t>(in.NumElements() / p.depth);
  p.beta = beta;
  return std::unique_ptr<PreparedOp>(new FloatSoftmax(p, log));
}

Status ParseTfliteSoftmax(const tflite::Operator& op, Node* node) {
  SoftmaxAttrs a;
  if (const auto* o = op.builtin_options_as_SoftmaxOptions()) a.beta = o->beta();
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteSoftmax(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                           const Node& node) {
  return Options(tflite::BuiltinOptions::SoftmaxOptions,
                 tflite::CreateSoftmaxOptions(b, std::get<SoftmaxAttrs>(node.attrs).beta));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSoftmax(const Graph& g, const Node& node) {
  if (IsFloatSoftmax(g, node)) {
    return PrepareFloatSoftmax(g, node, std::get<SoftmaxAttrs>(node.attrs).beta, false);
  }
  const bool wide = node.outputs.size() == 1 && Out(g, node).type == DataType::kInt16;
  MCUNET_RETURN_IF_ERROR(
      wide ? ExpectSoftmaxTensors(g, node, 1.0f / 65536, -32768, "1/65536 and zero point -32768",
                                  DataType::kInt16)
           : ExpectSoftmaxTensors(g, node, 1.0f / 256, -128, "1/256 and zero point -128"));
  const Tensor& in = In(g, node, 0);
  MCUNET_ASSIGN_OR_RETURN(
      const SoftmaxScaling scaling,
      SoftmaxInputScaling(node, std::get<SoftmaxAttrs>(node.attrs).beta * in.quant.scale()));
  mcunet_softmax_params p{};
  p.depth = in.shape.back();
  p.rows = p.depth == 0 ? 0 : static_cast<int32_t>(in.NumElements() / p.depth);
  p.input_multiplier = scaling.input.multiplier;
  p.input_left_shift = scaling.input.shift;
  p.diff_min = scaling.diff_min;
  return std::unique_ptr<PreparedOp>(new Softmax(p, wide));
}

int64_t MacsSoftmax(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
