// SOFTMAX: int8 in, int8 or int16 out with TFLite's fixed output quantisation
// (1/256 and -128; 1/65536 and -32768).
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

}  // namespace

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
