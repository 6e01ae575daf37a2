// MAXIMUM: element-wise maximum of two int8 tensors with NumPy broadcasting up to
// rank 4. TF Lite Micro (maximum_minimum.cc) compares the raw int8 values and
// rescales nothing (the converter gives both inputs and the output one
// quantisation; TFLM does not check it, and neither do we, to match it).
#include "kernels/mcunet_kernels.h"
#include "ops/binary_int8.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

std::string PrintParams(const std::string& prefix, const mcunet_broadcast_params& p) {
  return MCUNET_C_PARAMS(MCUNET_BROADCAST_PARAMS_FIELDS, mcunet_broadcast_params, prefix, p);
}

constexpr BinaryKernel<mcunet_broadcast_params> kKernel = {mcunet_maximum_s8, "mcunet_maximum_s8",
                                                           "maximum_minimum_s8.c", PrintParams};

}  // namespace

Status ParseTfliteMaximum(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteMaximum(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                           const Node&) {
  return Options(tflite::BuiltinOptions::MaximumMinimumOptions,
                 tflite::CreateMaximumMinimumOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareMaximum(const Graph& g, const Node& node) {
  MCUNET_ASSIGN_OR_RETURN(const Broadcast4D shapes, PrepareBinaryInt8(g, node));
  mcunet_broadcast_params p{};
  CopyBroadcast(shapes, &p);
  return std::unique_ptr<PreparedOp>(new BinaryBroadcastOp<mcunet_broadcast_params>(p, kKernel));
}

int64_t MacsMaximum(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
