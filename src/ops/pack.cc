// PACK: N tensors of one shape and type stacked along a new axis. The same copy
// as CONCATENATION (ops/concat_op.h): input i fills slot i of the new axis in
// every outer row. Raw bytes: int8 values are not rescaled (TF Lite Micro).
#include <fmt/format.h>

#include "ops/concat_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTflitePack(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_PackOptions();
  if (!o) return MissingOptions("PackOptions");
  PackAttrs a;
  a.axis = o->axis();
  a.count = o->values_count();
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTflitePack(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                        const Node& node) {
  const auto& a = std::get<PackAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::PackOptions,
                 tflite::CreatePackOptions(b, a.count, a.axis));
}

Expected<std::unique_ptr<PreparedOp>> PreparePack(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1 << 16, 1));
  const auto& a = std::get<PackAttrs>(node.attrs);
  const Tensor& first = In(g, node, 0);
  if (a.count != static_cast<int32_t>(node.inputs.size())) {
    return Status::Error(fmt::format("{}: values_count {} but {} inputs", NodeLabel(node), a.count,
                                     node.inputs.size()));
  }
  const int rank = static_cast<int>(first.shape.size());
  const int axis = a.axis < 0 ? a.axis + rank + 1 : a.axis;
  if (axis < 0 || axis > rank) {
    return Status::Error(fmt::format("{}: axis {} out of range for {} inputs of rank {}",
                                     NodeLabel(node), a.axis, node.inputs.size(), rank));
  }
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, i, first.type, rank));
    if (In(g, node, i).shape != first.shape) {
      return Status::Error(fmt::format("{}: input {} has shape {}, input 0 {}", NodeLabel(node), i,
                                       In(g, node, i).ShapeString(), first.ShapeString()));
    }
  }
  std::vector<int32_t> expected = first.shape;
  expected.insert(expected.begin() + axis, a.count);
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, first.type));
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  int64_t outer = 1, inner_bytes = static_cast<int64_t>(DataTypeSize(first.type));
  for (int d = 0; d < axis; ++d) outer *= first.shape[d];
  for (int d = axis; d < rank; ++d) inner_bytes *= first.shape[d];
  if (outer * inner_bytes * a.count > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": output above 2 GB");
  }
  std::vector<mcunet_concat_params> parts;
  for (int32_t i = 0; i < a.count; ++i) {
    mcunet_concat_params p{};
    p.outer = static_cast<int32_t>(outer);
    p.chunk_bytes = static_cast<int32_t>(inner_bytes);
    p.output_stride = static_cast<int32_t>(inner_bytes * a.count);
    p.output_offset = static_cast<int32_t>(inner_bytes * i);
    parts.push_back(p);
  }
  return MakeConcatOp(std::move(parts));
}

int64_t MacsPack(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
