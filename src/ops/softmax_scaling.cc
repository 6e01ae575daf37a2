#include "ops/softmax_scaling.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ops/op_util.h"

namespace mcunet {

namespace {
constexpr int kScaledDiffIntegerBits = 5;
}  // namespace

Status ExpectSoftmaxRows(const Graph& g, const Node& node, DataType input_type,
                         DataType output_type) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, input_type));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, output_type));
  const Tensor& in = In(g, node, 0);
  if (in.shape.empty()) return Status::Error(NodeLabel(node) + ": input must have rank >= 1");
  return ExpectShape(g, node, node.outputs[0], in.shape, "output");
}

Status ExpectSoftmaxTensors(const Graph& g, const Node& node, float output_scale,
                            int32_t output_zero_point, const char* output_quant,
                            DataType output_type) {
  MCUNET_RETURN_IF_ERROR(ExpectSoftmaxRows(g, node, DataType::kInt8, output_type));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& out = Out(g, node);
  // int8: exactly TFLite's; int16: within TF Lite Micro's 0.1 % of it.
  const bool scale_ok = output_type == DataType::kInt16
                            ? std::abs(out.quant.scale() - output_scale) <= 0.001f * output_scale
                            : out.quant.scale() == output_scale;
  if (!scale_ok || out.quant.zero_point() != output_zero_point) {
    return Status::Error(fmt::format("{}: {} output must have scale {}, has {} and {}",
                                     NodeLabel(node), DataTypeName(output_type), output_quant,
                                     out.quant.scale(), out.quant.zero_point()));
  }
  return OkStatus();
}

Expected<SoftmaxScaling> SoftmaxInputScaling(const Node& node, double beta_times_input_scale) {
  const double real =
      std::min(beta_times_input_scale * (1 << (31 - kScaledDiffIntegerBits)), (1LL << 31) - 1.0);
  // TFLite checks real > 1 (TFLITE_CHECK) and stops; we refuse the model instead.
  if (!(real > 1.0)) {
    return Status::Error(fmt::format("{}: beta * input scale = {} is too small (at most 2^-26)",
                                     NodeLabel(node), beta_times_input_scale));
  }
  SoftmaxScaling s;
  s.input = QuantizeMultiplier(real);
  const double radius = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                        (1LL << (31 - kScaledDiffIntegerBits)) / (1LL << s.input.shift);
  s.diff_min = -static_cast<int32_t>(std::floor(radius));
  return s;
}

}  // namespace mcunet
