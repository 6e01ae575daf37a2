#include "ir/graph.h"

#include <fmt/format.h>

namespace mcunet {

const char* OpKindName(OpKind kind) {
  switch (kind) {
#define MCUNET_OP(name, tflite_name, code) \
  case OpKind::k##name:                    \
    return tflite_name;
#include "ir/op_list.def"
#undef MCUNET_OP
  }
  return "?";
}

int32_t OpKindBuiltinCode(OpKind kind) {
  switch (kind) {
#define MCUNET_OP(name, tflite_name, code) \
  case OpKind::k##name:                    \
    return code;
#include "ir/op_list.def"
#undef MCUNET_OP
  }
  return -1;
}

int64_t Tensor::NumElements() const {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::string Tensor::ShapeString() const {
  if (shape.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

std::string NodeLabel(const Node& node) {
  return fmt::format("operator {} ({})", node.index, OpKindName(node.kind));
}

std::string TensorLabel(const Graph& graph, int index) {
  if (index < 0 || index >= static_cast<int>(graph.tensors.size())) {
    return fmt::format("tensor {}", index);
  }
  return fmt::format("tensor {} '{}'", index, graph.tensors[index].name);
}

}  // namespace mcunet
