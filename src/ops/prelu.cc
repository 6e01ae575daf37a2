// PRELU: x where x >= 0, alpha * x below, int8, alpha (constant or not)
// broadcast against the input up to rank 4. TF Lite Micro's arithmetic
// (prelu_common.cc; BroadcastPrelu4DSlow): two multipliers in double, in / out
// and in * alpha / out, the second applied to the product of the offset input
// and the offset alpha.
#include <fmt/format.h>

#include "kernels/mcunet_kernels.h"
#include "ops/binary_int8.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

std::string PrintParams(const std::string& prefix, const mcunet_prelu_params& p) {
  return MCUNET_C_PARAMS(MCUNET_PRELU_PARAMS_FIELDS, mcunet_prelu_params, prefix, p);
}

constexpr BinaryKernel<mcunet_prelu_params> kKernel = {mcunet_prelu_s8, "mcunet_prelu_s8",
                                                       "prelu_s8.c", PrintParams};

}  // namespace

Status ParseTflitePrelu(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTflitePrelu(flatbuffers::FlatBufferBuilder&, const Graph&,
                                         const Node&) {
  return NoOptions();
}

Expected<std::unique_ptr<PreparedOp>> PreparePrelu(const Graph& g, const Node& node) {
  MCUNET_ASSIGN_OR_RETURN(const Broadcast4D shapes, PrepareBinaryInt8(g, node));
  const QuantParams& in = In(g, node, 0).quant;
  const QuantParams& alpha = In(g, node, 1).quant;
  const QuantParams& out = Out(g, node).quant;
  // The output has the input's shape: alpha broadcasts into it, never the reverse.
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], In(g, node, 0).shape, "output"));
  mcunet_prelu_params p{};
  CopyBroadcast(shapes, &p);
  p.input_offset = -in.zero_point();
  p.alpha_offset = -alpha.zero_point();
  p.output_offset = out.zero_point();
  const double in_scale = in.scale(), alpha_scale = alpha.scale(), out_scale = out.scale();
  const QuantizedMultiplier identity = QuantizeMultiplier(in_scale / out_scale);
  const QuantizedMultiplier negative = QuantizeMultiplier(in_scale * alpha_scale / out_scale);
  p.identity_multiplier = identity.multiplier, p.identity_shift = identity.shift;
  p.alpha_multiplier = negative.multiplier, p.alpha_shift = negative.shift;
  // The kernel shifts left before the high multiply: |x| < 2^8, |x * alpha| < 2^16.
  if (p.identity_shift > 23 || p.alpha_shift > 15) {
    return Status::Error(fmt::format(
        "{}: input scale {}, alpha scale {} and output scale {} give a rescale too large for "
        "int32 arithmetic",
        NodeLabel(node), in.scale(), alpha.scale(), out.scale()));
  }
  return std::unique_ptr<PreparedOp>(new BinaryBroadcastOp<mcunet_prelu_params>(p, kKernel));
}

// One multiplication per output element.
int64_t MacsPrelu(const Graph& g, const Node& node) { return Out(g, node).NumElements(); }

}  // namespace mcunet
