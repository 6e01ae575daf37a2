// TANH int8, as TF Lite Micro computes it (tanh.cc; reference integer Tanh):
// the offset input to Q4.27, gemmlowp's fixed-point tanh, the Q0.31 result
// rounded to 1/128 steps (TFLM assumes the converter's output scale 1/128 and
// zero point 0 and adds none). A table lookup.
#include "kernels/mcunet_fixed_point.h"
#include "ops/gemmlowp_functions.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/sigmoid_input.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteTanh(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteTanh(flatbuffers::FlatBufferBuilder&, const Graph&,
                                        const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PrepareTanh(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  return MakeSigmoidLutOp(
      g, node, [](int32_t q4) { return mcunet_rounding_divide_by_pot(GemmlowpTanh(q4), 24); });
}

int64_t MacsTanh(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
