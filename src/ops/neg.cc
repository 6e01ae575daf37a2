// NEG int8, as TF Lite computes it (lite/kernels/neg.cc with
// reference_integer_ops::Negate; TF Lite Micro 90b983c has float32 only):
// input and output scales exactly equal, then input zero point + output zero
// point - x, clamped to int8. A table lookup (ops/lut_op.h).
#include <fmt/format.h>

#include <algorithm>

#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteNeg(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteNeg(flatbuffers::FlatBufferBuilder&, const Graph&, const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareNeg(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const QuantParams& in = In(g, node, 0).quant;
  const QuantParams& out = Out(g, node).quant;
  // TF Lite compares the float scales for equality, without a tolerance.
  if (in.scale() != out.scale()) {
    return Status::Error(fmt::format(
        "{}: int8 NEG needs equal input and output scales (TF Lite's rule), has {} and {}",
        NodeLabel(node), in.scale(), out.scale()));
  }
  const int32_t zero_points = in.zero_point() + out.zero_point();
  return MakeLutOp(g, node, [=](int32_t v) { return std::clamp(zero_points - v, -128, 127); });
}

int64_t MacsNeg(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
