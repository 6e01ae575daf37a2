// LEAKY_RELU int8, as TF Lite Micro computes it (leaky_relu_common.cc;
// reference QuantizeLeakyRelu): two multipliers, in_scale / out_scale and
// in_scale * alpha / out_scale, each computed in float; the sign of the offset
// input picks one. A table lookup (ops/lut_op.h).
#include "kernels/mcunet_fixed_point.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteLeakyRelu(const tflite::Operator& op, Node* node) {
  LeakyReluAttrs a;
  if (const auto* o = op.builtin_options_as_LeakyReluOptions()) a.alpha = o->alpha();
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteLeakyRelu(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                             const Node& node) {
  return Options(tflite::BuiltinOptions::LeakyReluOptions,
                 tflite::CreateLeakyReluOptions(b, std::get<LeakyReluAttrs>(node.attrs).alpha));
}

Expected<std::unique_ptr<PreparedOp>> PrepareLeakyRelu(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const float in_scale = In(g, node, 0).quant.scale();
  const float out_scale = Out(g, node).quant.scale();
  const float alpha = std::get<LeakyReluAttrs>(node.attrs).alpha;
  const QuantizedMultiplier identity =
      QuantizeMultiplier(static_cast<double>(in_scale / out_scale));
  const QuantizedMultiplier negative =
      QuantizeMultiplier(static_cast<double>(in_scale * alpha / out_scale));
  const int32_t in_zp = In(g, node, 0).quant.zero_point();
  const int32_t out_zp = Out(g, node).quant.zero_point();
  return MakeLutOp(g, node, [=](int32_t v) {
    const int32_t x = v - in_zp;
    const QuantizedMultiplier& m = x >= 0 ? identity : negative;
    return out_zp + mcunet_requantize(x, m.multiplier, m.shift);
  });
}

int64_t MacsLeakyRelu(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
