// CONCATENATION along any axis, tensors of one element type (int8: TF Lite
// Micro copies raw values without rescaling, concatenation.cc), through the
// one-call-per-input copy of ops/concat_op.h.
#include <fmt/format.h>

#include <limits>

#include "ops/concat_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteConcatenation(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_ConcatenationOptions();
  if (!o) return MissingOptions("ConcatenationOptions");
  ConcatAttrs a;
  a.axis = o->axis();
  MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteConcatenation(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                 const Node& node) {
  const auto& a = std::get<ConcatAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::ConcatenationOptions,
                 tflite::CreateConcatenationOptions(b, a.axis, ActivationToTflite(a.activation)));
}

Expected<std::unique_ptr<PreparedOp>> PrepareConcatenation(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 10, 1));  // TFLM's limit of 10 inputs
  const auto& a = std::get<ConcatAttrs>(node.attrs);
  if (a.activation != Activation::kNone) {
    return Status::Error(fmt::format("{}: fused activation {} (TF Lite Micro supports none)",
                                     NodeLabel(node), ActivationName(a.activation)));
  }
  const Tensor& first = In(g, node, 0);
  const int rank = static_cast<int>(first.shape.size());
  const int axis = a.axis < 0 ? a.axis + rank : a.axis;
  if (axis < 0 || axis >= rank) {
    return Status::Error(
        fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), a.axis, rank));
  }
  std::vector<int32_t> expected = first.shape;
  int64_t axis_total = 0;  // int64: ten hostile sizes could overflow int32
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, i, first.type, rank));
    const Tensor& t = In(g, node, i);
    for (int d = 0; d < rank; ++d) {
      if (d != axis && t.shape[d] != first.shape[d]) {
        return Status::Error(
            fmt::format("{}: input {} has shape {}, input 0 {}: they may differ "
                        "only along axis {}",
                        NodeLabel(node), i, t.ShapeString(), first.ShapeString(), axis));
      }
    }
    axis_total += t.shape[axis];
  }
  if (axis_total > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": concatenated axis above 2^31 elements");
  }
  expected[axis] = static_cast<int32_t>(axis_total);
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, first.type, rank));
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  int64_t outer = 1, inner_bytes = static_cast<int64_t>(DataTypeSize(first.type));
  for (int d = 0; d < axis; ++d) outer *= first.shape[d];
  for (int d = axis + 1; d < rank; ++d) inner_bytes *= first.shape[d];
  const int64_t stride = expected[axis] * inner_bytes;
  if (stride * outer > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": output above 2 GB");
  }
  std::vector<mcunet_concat_params> parts;
  int64_t offset = 0;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    mcunet_concat_params p{};
    p.outer = static_cast<int32_t>(outer);
    p.chunk_bytes = static_cast<int32_t>(In(g, node, i).shape[axis] * inner_bytes);
    p.output_stride = static_cast<int32_t>(stride);
    p.output_offset = static_cast<int32_t>(offset);
    offset += p.chunk_bytes;
    parts.push_back(p);
  }
  return MakeConcatOp(std::move(parts));
}

int64_t MacsConcatenation(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
