// SQUARED_DIFFERENCE: (int8 - int8)^2 -> int8 with NumPy broadcasting up to
// rank 4. TF Lite Micro's arithmetic (squared_difference.cc): the inputs shifted
// left by 7 and scaled to twice the larger input scale (multipliers in double),
// the difference squared and requantised by (2 max scale)^2 / (2^14 out scale).
#include <fmt/format.h>

#include <algorithm>

#include "kernels/mcunet_kernels.h"
#include "ops/binary_int8.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

std::string PrintParams(const std::string& prefix, const mcunet_add_params& p) {
  return MCUNET_C_PARAMS(MCUNET_ADD_PARAMS_FIELDS, mcunet_add_params, prefix, p);
}

constexpr BinaryKernel<mcunet_add_params> kKernel = {mcunet_squared_difference_s8,
                                                     "mcunet_squared_difference_s8",
                                                     "squared_difference_s8.c", PrintParams};

}  // namespace

Status ParseTfliteSquaredDifference(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteSquaredDifference(flatbuffers::FlatBufferBuilder& b,
                                                     const Graph&, const Node&) {
  return Options(tflite::BuiltinOptions::SquaredDifferenceOptions,
                 tflite::CreateSquaredDifferenceOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSquaredDifference(const Graph& g, const Node& node) {
  MCUNET_ASSIGN_OR_RETURN(const Broadcast4D shapes, PrepareBinaryInt8(g, node));
  const QuantParams& a = In(g, node, 0).quant;
  const QuantParams& b = In(g, node, 1).quant;
  const QuantParams& out = Out(g, node).quant;
  mcunet_add_params p = BinaryParams<mcunet_add_params>(g, node, shapes);
  p.left_shift = 7;
  const double twice_max = 2.0 * static_cast<double>(std::max(a.scale(), b.scale()));
  const QuantizedMultiplier m1 = QuantizeMultiplier(static_cast<double>(a.scale()) / twice_max);
  const QuantizedMultiplier m2 = QuantizeMultiplier(static_cast<double>(b.scale()) / twice_max);
  // 2^14 times the output scale is a float product in TFLM.
  const QuantizedMultiplier mo = QuantizeMultiplier(
      twice_max * twice_max / static_cast<double>(static_cast<float>(1 << 14) * out.scale()));
  p.input1_multiplier = m1.multiplier, p.input1_shift = m1.shift;
  p.input2_multiplier = m2.multiplier, p.input2_shift = m2.shift;
  p.output_multiplier = mo.multiplier, p.output_shift = mo.shift;
  // The square is below 2^30: a rescale up to 2x keeps it inside int32.
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 1) {
    return Status::Error(fmt::format(
        "{}: input scales {} and {} against output scale {} need a rescale above 2x; at most 2x "
        "is supported",
        NodeLabel(node), a.scale(), b.scale(), out.scale()));
  }
  p.act_min = -128, p.act_max = 127;
  return std::unique_ptr<PreparedOp>(new BinaryBroadcastOp<mcunet_add_params>(p, kKernel));
}

// One multiplication (the square) per output element.
int64_t MacsSquaredDifference(const Graph& g, const Node& node) {
  return Out(g, node).NumElements();
}

}  // namespace mcunet
