// MUL: int8 x int8 -> int8 with NumPy broadcasting up to rank 4 and a fused
// activation. Arithmetic of TF Lite Micro's reference kernel (mul_common.cc,
// CalculateOpDataMul; reference_integer_ops::Mul and BroadcastMul): the product
// of the offset inputs is rescaled once by input1_scale * input2_scale /
// output_scale, computed in double.
#include <fmt/format.h>

#include <algorithm>

#include "kernels/mcunet_kernels.h"
#include "ops/binary_int8.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

std::string PrintMulParams(const std::string& prefix, const mcunet_mul_params& p) {
  return MCUNET_C_PARAMS(MCUNET_MUL_PARAMS_FIELDS, mcunet_mul_params, prefix, p);
}

constexpr BinaryKernel<mcunet_mul_params> kMulKernel = {mcunet_mul_s8, "mcunet_mul_s8", "mul_s8.c",
                                                        PrintMulParams};

}  // namespace

// MulOptions is optional (TFLite's parser keeps its defaults): no fused activation.
Status ParseTfliteMul(const tflite::Operator& op, Node* node) {
  ElementwiseAttrs a;
  if (const auto* o = op.builtin_options_as_MulOptions()) {
    MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteMul(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                       const Node& node) {
  const auto& a = std::get<ElementwiseAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::MulOptions,
                 tflite::CreateMulOptions(b, ActivationToTflite(a.activation)));
}

Expected<std::unique_ptr<PreparedOp>> PrepareMul(const Graph& g, const Node& node) {
  MCUNET_ASSIGN_OR_RETURN(const Broadcast4D shapes, PrepareBinaryInt8(g, node));
  const Tensor& a = In(g, node, 0);
  const Tensor& b = In(g, node, 1);
  const Tensor& out = Out(g, node);

  mcunet_mul_params p = BinaryParams<mcunet_mul_params>(g, node, shapes);
  // The same expression, in the same order, as TFLM: (s1 * s2) / s_out in double.
  const double real_multiplier = static_cast<double>(a.quant.scale()) *
                                 static_cast<double>(b.quant.scale()) /
                                 static_cast<double>(out.quant.scale());
  const QuantizedMultiplier m = QuantizeMultiplier(real_multiplier);
  // The kernel shifts the product (|x| < 2^16) left before the high multiply;
  // beyond 15 bits that would overflow int32 (TFLM does not check; no real model
  // scales a product up by 2^15).
  if (m.shift > 15) {
    return Status::Error(fmt::format(
        "{}: scales give a rescale factor of {} (input scales {} and {}, output "
        "scale {}); at most 2^15 is supported",
        NodeLabel(node), real_multiplier, a.quant.scale(), b.quant.scale(), out.quant.scale()));
  }
  p.output_multiplier = m.multiplier, p.output_shift = m.shift;
  const auto& attrs = std::get<ElementwiseAttrs>(node.attrs);
  const ClampRange range =
      ActivationRangeInt8(attrs.activation, out.quant.scale(), out.quant.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  return std::unique_ptr<PreparedOp>(new BinaryBroadcastOp<mcunet_mul_params>(p, kMulKernel));
}

// One multiplication per output element.
int64_t MacsMul(const Graph& g, const Node& node) { return Out(g, node).NumElements(); }

}  // namespace mcunet
