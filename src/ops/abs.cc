// ABS int8, as TF Lite Micro computes it (elementwise.cc, AbsEvalQuantized):
// |x - input zero point|, requantised by in_scale / out_scale (divided in float)
// only when the scales differ, plus the output zero point. A table lookup.
#include <cstdlib>

#include "kernels/mcunet_fixed_point.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteAbs(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteAbs(flatbuffers::FlatBufferBuilder&, const Graph&, const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareAbs(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const QuantParams& in = In(g, node, 0).quant;
  const QuantParams& out = Out(g, node).quant;
  const bool rescale = in.scale() != out.scale();
  const QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in.scale() / out.scale()));
  const int32_t in_zp = in.zero_point(), out_zp = out.zero_point();
  return MakeLutOp(g, node, [=](int32_t v) {
    const int32_t x = std::abs(v - in_zp);
    return out_zp + (rescale ? mcunet_requantize(x, m.multiplier, m.shift) : x);
  });
}

int64_t MacsAbs(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
