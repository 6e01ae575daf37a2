// LOG_SOFTMAX int8, as TF Lite Micro computes it (log_softmax.cc,
// CalculateSoftmaxParams; reference_ops::LogSoftmax): the output's quantisation
// is fixed (scale 16/256, zero point 127), beta is 1, the input scale gives the
// Q5.26 multiplier, its reverse and the input radius, all in double. float32
// rows take the float form (softmax.cc).
#include <fmt/format.h>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/softmax_scaling.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class LogSoftmax final : public PreparedOp {
 public:
  explicit LogSoftmax(mcunet_log_softmax_params p) : params_(p) {}
  // A row is read in full (maximum, sum) before its first write, and its last
  // pass reads element c before writing element c.
  int64_t InPlaceOffset(size_t) const override { return 0; }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"softmax_s8.c",
            MCUNET_C_PARAMS(MCUNET_LOG_SOFTMAX_PARAMS_FIELDS, mcunet_log_softmax_params, n.prefix,
                            params_),
            fmt::format("mcunet_log_softmax_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_log_softmax_s8(&params_, static_cast<const int8_t*>(b.inputs[0]),
                                 static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_log_softmax_params params_;
};

}  // namespace

Status ParseTfliteLogSoftmax(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteLogSoftmax(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                              const Node&) {
  return Options(tflite::BuiltinOptions::LogSoftmaxOptions, tflite::CreateLogSoftmaxOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareLogSoftmax(const Graph& g, const Node& node) {
  if (IsFloatSoftmax(g, node)) return PrepareFloatSoftmax(g, node, 1.0f, true);
  MCUNET_RETURN_IF_ERROR(
      ExpectSoftmaxTensors(g, node, 16.0f / 256, 127, "16/256 and zero point 127"));
  const Tensor& in = In(g, node, 0);
  MCUNET_ASSIGN_OR_RETURN(const SoftmaxScaling scaling,
                          SoftmaxInputScaling(node, in.quant.scale()));  // beta is 1
  // The reverse scaling, 2^(31 - shift) / multiplier, brings the Q5.26 log of
  // the sum back to input steps (a multiplier below 1: shift <= 0).
  const double reverse =
      static_cast<double>(1LL << (31 - scaling.input.shift)) / scaling.input.multiplier;
  const QuantizedMultiplier r = QuantizeMultiplier(reverse);
  if (!(reverse > 0 && reverse < 1) || r.shift > 0) {
    return Status::Error(fmt::format("{}: input scale {} has no reverse scaling", NodeLabel(node),
                                     in.quant.scale()));
  }
  mcunet_log_softmax_params p{};
  p.depth = in.shape.back();
  p.rows = p.depth == 0 ? 0 : static_cast<int32_t>(in.NumElements() / p.depth);
  p.input_multiplier = scaling.input.multiplier;
  p.input_left_shift = scaling.input.shift;
  p.diff_min = scaling.diff_min;
  p.reverse_multiplier = r.multiplier;
  p.reverse_shift = r.shift;
  return std::unique_ptr<PreparedOp>(new LogSoftmax(p));
}

int64_t MacsLogSoftmax(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
