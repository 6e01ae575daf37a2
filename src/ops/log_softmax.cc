// LOG_SOFTMAX int8, as TF Lite Micro computes it (log_softmax.cc,
// CalculateSoftmaxParams; reference_ops::LogSoftmax): the output's quantisation
// is fixed (scale 16/256, zero point 127), beta is 1, the input scale gives the
// Q5.26 multiplier, its reverse and the input radius, all in double.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

constexpr int kScaledDiffIntegerBits = 5;

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
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  if (in.shape.empty()) return Status::Error(NodeLabel(node) + ": input must have rank >= 1");
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], in.shape, "output"));
  if (out.quant.scale() != 16.0f / 256 || out.quant.zero_point() != 127) {
    return Status::Error(
        fmt::format("{}: int8 output must have scale 16/256 and zero point 127, has {} and {}",
                    NodeLabel(node), out.quant.scale(), out.quant.zero_point()));
  }
  const double real =
      std::min(static_cast<double>(in.quant.scale()) * (1 << (31 - kScaledDiffIntegerBits)),
               (1LL << 31) - 1.0);
  const QuantizedMultiplier m = QuantizeMultiplier(real);
  // TFLM checks these (TFLITE_CHECK) and stops; we refuse the model instead.
  if (real <= 1.0 || m.shift < 0 || m.multiplier <= 0) {
    return Status::Error(fmt::format("{}: input scale {} is too small (at most 2^-26)",
                                     NodeLabel(node), in.quant.scale()));
  }
  const double reverse = static_cast<double>(1LL << (31 - m.shift)) / m.multiplier;
  const QuantizedMultiplier r = QuantizeMultiplier(reverse);
  if (!(reverse > 0 && reverse < 1) || r.shift > 0) {
    return Status::Error(fmt::format("{}: input scale {} has no reverse scaling", NodeLabel(node),
                                     in.quant.scale()));
  }
  const double radius = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                        (1LL << (31 - kScaledDiffIntegerBits)) / (1LL << m.shift);
  mcunet_log_softmax_params p{};
  p.depth = in.shape.back();
  p.rows = p.depth == 0 ? 0 : static_cast<int32_t>(in.NumElements() / p.depth);
  p.input_multiplier = m.multiplier;
  p.input_left_shift = m.shift;
  p.diff_min = -static_cast<int32_t>(std::floor(radius));
  p.reverse_multiplier = r.multiplier;
  p.reverse_shift = r.shift;
  return std::unique_ptr<PreparedOp>(new LogSoftmax(p));
}

int64_t MacsLogSoftmax(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
