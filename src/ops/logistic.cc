// LOGISTIC int8, as TF Lite Micro computes it (logistic_common.cc; reference
// integer Logistic): the offset input to Q4.27, gemmlowp's fixed-point logistic,
// the Q0.31 result rounded to 1/256 steps with zero point -128 (TFLM requires the
// zero point and assumes the scale 1/256, as the converter writes them). A table
// lookup.
#include <fmt/format.h>

#include "kernels/mcunet_fixed_point.h"
#include "ops/gemmlowp_functions.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/sigmoid_input.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteLogistic(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteLogistic(flatbuffers::FlatBufferBuilder&, const Graph&,
                                            const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareLogistic(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  if (Out(g, node).quant.zero_point() != -128) {
    return Status::Error(
        fmt::format("{}: output zero point {}; int8 LOGISTIC needs -128 "
                    "(scale 1/256)",
                    NodeLabel(node), Out(g, node).quant.zero_point()));
  }
  return MakeSigmoidLutOp(g, node, [](int32_t q4) {
    return mcunet_rounding_divide_by_pot(GemmlowpLogistic(q4), 23) - 128;
  });
}

int64_t MacsLogistic(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
