// RELU_N1_TO_1 int8. TF Lite Micro has no kernel for it (a model with it fails
// to load there; as a fused activation it is only a clamp range), so this
// follows TF Lite's own int8 kernel (activations.cc, QuantizedReluX): the input
// requantised to the output's scale (multiplier in_scale / out_scale divided in
// float, as RELU's), then clamped to -1 and 1 quantised with the output's scale
// (roundf, within the int8 range). A table lookup (ops/lut_op.h).
#include <cmath>

#include "kernels/mcunet_fixed_point.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteReluN1To1(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteReluN1To1(flatbuffers::FlatBufferBuilder&, const Graph&,
                                             const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareReluN1To1(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const QuantParams& in = In(g, node, 0).quant;
  const QuantParams& out = Out(g, node).quant;
  const QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in.scale() / out.scale()));
  const int32_t in_zp = in.zero_point(), out_zp = out.zero_point();
  const int32_t one = static_cast<int32_t>(std::round(1.0f / out.scale()));
  const int32_t lo = std::max<int32_t>(-128, out_zp - one);
  const int32_t hi = std::min<int32_t>(127, out_zp + one);
  return MakeLutOp(g, node, [=](int32_t v) {
    return std::clamp(out_zp + mcunet_requantize(v - in_zp, m.multiplier, m.shift), lo, hi);
  });
}

int64_t MacsReluN1To1(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
