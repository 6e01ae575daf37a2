// RELU int8, as TF Lite Micro computes it (activations_common.cc,
// CalculateReluOpData; ReluQuantized): always requantised, with the multiplier
// of in_scale / out_scale divided in float, then clamped below at the output
// zero point. A table lookup (ops/lut_op.h).
#include "kernels/mcunet_fixed_point.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteRelu(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteRelu(flatbuffers::FlatBufferBuilder&, const Graph&,
                                        const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareRelu(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const QuantParams& in = In(g, node, 0).quant;
  const QuantParams& out = Out(g, node).quant;
  const QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in.scale() / out.scale()));
  const int32_t in_zp = in.zero_point(), out_zp = out.zero_point();
  const int32_t lo = std::max<int32_t>(-128, out_zp);
  return MakeLutOp(g, node, [=](int32_t v) {
    return std::max(lo, out_zp + mcunet_requantize(v - in_zp, m.multiplier, m.shift));
  });
}

int64_t MacsRelu(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
