// ADD: int8 + int8 -> int8, or int16 + int16 -> int16 (the 16x8 models' ADD),
// with NumPy broadcasting up to rank 4.
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

std::string PrintAddParams(const std::string& prefix, const mcunet_add_params& p) {
  return MCUNET_C_PARAMS(MCUNET_ADD_PARAMS_FIELDS, mcunet_add_params, prefix, p);
}

constexpr BinaryKernel<mcunet_add_params> kAddKernel = {mcunet_add_s8, "mcunet_add_s8", "add_s8.c",
                                                        PrintAddParams};
constexpr BinaryKernel<mcunet_add_params, int16_t> kAdd16Kernel = {mcunet_add_s16, "mcunet_add_s16",
                                                                   "add_s16.c", PrintAddParams};

}  // namespace

// AddOptions is optional: without it, no fused activation. pot_scale_int16 is
// not read: TF Lite Micro, whose results this engine reproduces, runs the
// general scheme for every int16 ADD.
Status ParseTfliteAdd(const tflite::Operator& op, Node* node) {
  ElementwiseAttrs a;
  if (const auto* o = op.builtin_options_as_AddOptions()) {
    MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteAdd(flatbuffers::FlatBufferBuilder& b, const Graph& g,
                                       const Node& node) {
  const auto& a = std::get<ElementwiseAttrs>(node.attrs);
  // An int16 ADD says pot_scale_int16 = false: TFLite then computes what this
  // engine does (the general scheme) instead of its power-of-two path.
  const bool pot_scale_int16 = Out(g, node).type != DataType::kInt16;
  return Options(tflite::BuiltinOptions::AddOptions,
                 tflite::CreateAddOptions(b, ActivationToTflite(a.activation), pot_scale_int16));
}

Expected<std::unique_ptr<PreparedOp>> PrepareAdd(const Graph& g, const Node& node) {
  // int16 when the output is (TF Lite Micro picks the kernel by the output type).
  const bool wide = node.outputs.size() == 1 && Out(g, node).type == DataType::kInt16;
  MCUNET_ASSIGN_OR_RETURN(const Broadcast4D shapes,
                          PrepareBinary(g, node, wide ? DataType::kInt16 : DataType::kInt8));
  const Tensor& a = In(g, node, 0);
  const Tensor& b = In(g, node, 1);
  const Tensor& out = Out(g, node);

  mcunet_add_params p = BinaryParams<mcunet_add_params>(g, node, shapes);
  p.left_shift = wide ? 15 : 20;  // TFLite's headroom for int16 and int8 ADD
  const double twice_max_input_scale =
      2 * static_cast<double>(std::max(a.quant.scale(), b.quant.scale()));
  const QuantizedMultiplier m1 = QuantizeMultiplier(a.quant.scale() / twice_max_input_scale);
  const QuantizedMultiplier m2 = QuantizeMultiplier(b.quant.scale() / twice_max_input_scale);
  const QuantizedMultiplier mo = QuantizeMultiplier(
      twice_max_input_scale / ((1 << p.left_shift) * static_cast<double>(out.quant.scale())));
  p.input1_multiplier = m1.multiplier, p.input1_shift = m1.shift;
  p.input2_multiplier = m2.multiplier, p.input2_shift = m2.shift;
  p.output_multiplier = mo.multiplier, p.output_shift = mo.shift;
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 0) {
    return Status::Error(
        fmt::format("{}: scales give a rescale factor above one "
                    "(input scales {} and {}, output scale {})",
                    NodeLabel(node), a.quant.scale(), b.quant.scale(), out.quant.scale()));
  }
  const auto& attrs = std::get<ElementwiseAttrs>(node.attrs);
  const ClampRange range =
      wide ? ActivationRangeInt16(attrs.activation, out.quant.scale(), out.quant.zero_point())
           : ActivationRangeInt8(attrs.activation, out.quant.scale(), out.quant.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  if (wide) {
    return std::unique_ptr<PreparedOp>(
        new BinaryBroadcastOp<mcunet_add_params, int16_t>(p, kAdd16Kernel));
  }
  return std::unique_ptr<PreparedOp>(new BinaryBroadcastOp<mcunet_add_params>(p, kAddKernel));
}

int64_t MacsAdd(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
