// SUB: int8 - int8 -> int8 with NumPy broadcasting up to rank 4 and a fused
// activation. TF Lite Micro's arithmetic (sub_common.cc, CalculateOpDataSub;
// reference Sub): ADD's scheme with left shift 20, but its three multipliers are
// computed in float (ADD's in double), so they can differ in the last bits.
#include <fmt/format.h>

#include <algorithm>

#include "kernels/mcunet_kernels.h"
#include "ops/binary_int8.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

std::string PrintSubParams(const std::string& prefix, const mcunet_add_params& p) {
  return MCUNET_C_PARAMS(MCUNET_ADD_PARAMS_FIELDS, mcunet_add_params, prefix, p);
}

constexpr BinaryKernel<mcunet_add_params> kSubKernel = {mcunet_sub_s8, "mcunet_sub_s8", "sub_s8.c",
                                                        PrintSubParams};

}  // namespace

// SubOptions is optional: without it, no fused activation.
Status ParseTfliteSub(const tflite::Operator& op, Node* node) {
  ElementwiseAttrs a;
  if (const auto* o = op.builtin_options_as_SubOptions()) {
    MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteSub(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                       const Node& node) {
  const auto& a = std::get<ElementwiseAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::SubOptions,
                 tflite::CreateSubOptions(b, ActivationToTflite(a.activation)));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSub(const Graph& g, const Node& node) {
  MCUNET_ASSIGN_OR_RETURN(const Broadcast4D shapes, PrepareBinaryInt8(g, node));
  const QuantParams& a = In(g, node, 0).quant;
  const QuantParams& b = In(g, node, 1).quant;
  const QuantParams& out = Out(g, node).quant;
  mcunet_add_params p = BinaryParams<mcunet_add_params>(g, node, shapes);
  p.left_shift = 20;
  // In float, as TFLM: twice the larger input scale, the ratios to it, and the output's.
  const float twice_max = 2 * std::max(a.scale(), b.scale());
  const QuantizedMultiplier m1 = QuantizeMultiplier(static_cast<double>(a.scale() / twice_max));
  const QuantizedMultiplier m2 = QuantizeMultiplier(static_cast<double>(b.scale() / twice_max));
  const QuantizedMultiplier mo = QuantizeMultiplier(
      static_cast<double>(twice_max / (static_cast<float>(1 << p.left_shift) * out.scale())));
  p.input1_multiplier = m1.multiplier, p.input1_shift = m1.shift;
  p.input2_multiplier = m2.multiplier, p.input2_shift = m2.shift;
  p.output_multiplier = mo.multiplier, p.output_shift = mo.shift;
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 0) {
    return Status::Error(fmt::format(
        "{}: scales give a rescale factor above one (input scales {} and {}, output scale {})",
        NodeLabel(node), a.scale(), b.scale(), out.scale()));
  }
  const ClampRange range = ActivationRangeInt8(std::get<ElementwiseAttrs>(node.attrs).activation,
                                               out.scale(), out.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  return std::unique_ptr<PreparedOp>(new BinaryBroadcastOp<mcunet_add_params>(p, kSubKernel));
}

int64_t MacsSub(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
