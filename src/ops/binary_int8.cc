#include "ops/binary_int8.h"

#include "ops/op_util.h"

namespace mcunet {

Expected<Broadcast4D> PrepareBinaryInt8(const Graph& g, const Node& node) {
  return PrepareBinary(g, node, DataType::kInt8);
}

Expected<Broadcast4D> PrepareBinary(const Graph& g, const Node& node, DataType type) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  for (size_t i = 0; i < 2; ++i) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, i, type));
    MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[i], "input"));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, type));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  return BroadcastInputs(g, node);
}

}  // namespace mcunet
