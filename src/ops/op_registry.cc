#include <fmt/format.h>

#include "ops/op.h"
#include "ops/op_util.h"

namespace mcunet {

#define MCUNET_OP(name, tflite_name, code)                                        \
  Status ParseTflite##name(const tflite::Operator&, Node*);                       \
  Expected<TfliteOptions> WriteTflite##name(flatbuffers::FlatBufferBuilder&, const Graph&,     \
                                            const Node&);                                      \
  Expected<std::unique_ptr<PreparedOp>> Prepare##name(const Graph&, const Node&); \
  int64_t Macs##name(const Graph&, const Node&);
#include "ir/op_list.def"
#undef MCUNET_OP

namespace {
const OpDefinition kDefinitions[] = {
#define MCUNET_OP(name, tflite_name, code) \
  {OpKind::k##name, tflite_name, ParseTflite##name, WriteTflite##name, Prepare##name, Macs##name},
#include "ir/op_list.def"
#undef MCUNET_OP
};
}  // namespace

const OpDefinition& GetOpDefinition(OpKind kind) { return kDefinitions[static_cast<int>(kind)]; }

namespace {
// TF Lite Micro's int16 activations are symmetric (zero point 0) everywhere
// but the conversions and SOFTMAX's int16 output (zero point -32768), which
// check their own: any other operator refuses a non-zero one here, once.
Status CheckInt16ZeroPoints(const Graph& g, const Node& node) {
  if (node.kind == OpKind::kQuantize || node.kind == OpKind::kDequantize ||
      node.kind == OpKind::kSoftmax) {
    return OkStatus();
  }
  for (const auto* list : {&node.inputs, &node.outputs}) {
    for (int t : *list) {
      if (t < 0 || g.tensors[t].type != DataType::kInt16) continue;
      for (int32_t zp : g.tensors[t].quant.zero_points) {
        if (zp != 0) {
          return Status::Error(
              fmt::format("{}: {} is int16 with zero point {}, expected 0 (int16 activations "
                          "are symmetric there, as in TF Lite Micro)",
                          NodeLabel(node), TensorLabel(g, t), zp));
        }
      }
    }
  }
  return OkStatus();
}
}  // namespace

Expected<std::unique_ptr<PreparedOp>> PrepareNode(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(CheckInt16ZeroPoints(g, node));
  return GetOpDefinition(node.kind).prepare(g, node);
}

}  // namespace mcunet
