// RELU6 int8, as TF Lite Micro computes it (activations_common.cc, Relu6Prepare;
// Relu6Quantized): the raw input is clamped to [input zero point, 6 quantised
// with the input's scale] and written as it is. TFLM ignores the output's scale
// and zero point (TFLite's own kernel requantises); models from the converter
// give RELU6 equal input and output quantisation, where both agree.
#include <cmath>

#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteRelu6(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteRelu6(flatbuffers::FlatBufferBuilder&, const Graph&,
                                         const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareRelu6(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const QuantParams& in = In(g, node, 0).quant;
  const int32_t zero = in.zero_point();
  const float six_steps = std::round(6.0f / in.scale());
  const int32_t six =
      static_cast<int32_t>(std::clamp(six_steps + static_cast<float>(zero), -128.0f, 127.0f));
  return MakeLutOp(g, node, [=](int32_t v) { return v > six ? six : (v < zero ? zero : v); });
}

int64_t MacsRelu6(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
