// SPLIT: the input (operand 1) cut into equal pieces along a constant axis
// (operand 0), one output per piece, any element type, up to rank 4. SPLIT_V:
// the input (operand 0) cut into the constant sizes of operand 1 (one of them
// may be -1: the rest) along the axis of operand 2. UNPACK: one output per index
// of the axis, that axis dropped. All the strided-slice copy (ops/slice_op.h).
#include <fmt/format.h>

#include <numeric>

#include "ops/op_util.h"
#include "ops/slice_op.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

Expected<int> ConstantAxis(const Graph& g, const Node& node, size_t i, int rank) {
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, i));
  const Tensor& t = In(g, node, i);
  if (t.type != DataType::kInt32 || t.NumElements() != 1) {
    return Status::Error(fmt::format("{}: axis must be one int32 value, is {} {}", NodeLabel(node),
                                     DataTypeName(t.type), t.ShapeString()));
  }
  const int32_t axis = t.DataAs<int32_t>()[0];
  if (axis < -rank || axis >= rank) {
    return Status::Error(
        fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), axis, rank));
  }
  return axis < 0 ? axis + rank : axis;
}

Status ExpectPieces(const Graph& g, const Node& node, const Tensor& in, int axis,
                    const std::vector<int32_t>& sizes, bool drop_axis) {
  if (in.shape.size() > 4) {
    return Status::Error(
        fmt::format("{}: input rank {} (at most 4)", NodeLabel(node), in.shape.size()));
  }
  for (size_t i = 0; i < node.outputs.size(); ++i) {
    MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, i, in.type));
    std::vector<int32_t> expected = in.shape;
    if (drop_axis) {
      expected.erase(expected.begin() + axis);
    } else {
      expected[axis] = sizes[i];
    }
    MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[i], expected, "output"));
  }
  return OkStatus();
}

std::unique_ptr<PreparedOp> Pieces(const Tensor& in, int axis, const std::vector<int32_t>& sizes,
                                   size_t data_input = 0) {
  std::vector<mcunet_strided_slice_params> outputs;
  for (const SliceBox& box : SplitBoxes(in, axis, sizes)) outputs.push_back(SliceParams(in, box));
  return MakeSliceOp(std::move(outputs), data_input);
}

}  // namespace

Status ParseTfliteSplit(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTfliteSplit(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                         const Node& node) {
  return Options(tflite::BuiltinOptions::SplitOptions,
                 tflite::CreateSplitOptions(b, static_cast<int32_t>(node.outputs.size())));
}
Expected<std::unique_ptr<PreparedOp>> PrepareSplit(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, node.outputs.size()));
  const Tensor& in = In(g, node, 1);
  const int rank = static_cast<int>(in.shape.size());
  MCUNET_ASSIGN_OR_RETURN(const int axis, ConstantAxis(g, node, 0, rank));
  const int32_t n = static_cast<int32_t>(node.outputs.size());
  if (n < 1 || in.shape[axis] % n != 0) {
    return Status::Error(fmt::format("{}: axis {} of size {} does not split into {} equal parts",
                                     NodeLabel(node), axis, in.shape[axis], n));
  }
  const std::vector<int32_t> sizes(n, in.shape[axis] / n);
  MCUNET_RETURN_IF_ERROR(ExpectPieces(g, node, in, axis, sizes, false));
  return Pieces(in, axis, sizes, /*data_input=*/1);
}
int64_t MacsSplit(const Graph&, const Node&) { return 0; }

Status ParseTfliteSplitV(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTfliteSplitV(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                          const Node& node) {
  return Options(tflite::BuiltinOptions::SplitVOptions,
                 tflite::CreateSplitVOptions(b, static_cast<int32_t>(node.outputs.size())));
}
Expected<std::unique_ptr<PreparedOp>> PrepareSplitV(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 3, 3, node.outputs.size()));
  const Tensor& in = In(g, node, 0);
  const int rank = static_cast<int>(in.shape.size());
  MCUNET_ASSIGN_OR_RETURN(const int axis, ConstantAxis(g, node, 2, rank));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32, 1));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  const Tensor& split = In(g, node, 1);
  if (split.NumElements() != static_cast<int64_t>(node.outputs.size())) {
    return Status::Error(fmt::format("{}: {} sizes for {} outputs", NodeLabel(node),
                                     split.NumElements(), node.outputs.size()));
  }
  std::vector<int32_t> sizes(split.DataAs<int32_t>(),
                             split.DataAs<int32_t>() + split.NumElements());
  int64_t known = 0;
  int unknown = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1 && unknown < 0) {
      unknown = static_cast<int>(i);
    } else if (sizes[i] < 0) {
      return Status::Error(fmt::format("{}: size {} at {}", NodeLabel(node), sizes[i], i));
    } else {
      known += sizes[i];
    }
  }
  if (unknown >= 0) sizes[unknown] = static_cast<int32_t>(in.shape[axis] - known);
  if (std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) != in.shape[axis] ||
      (unknown >= 0 && sizes[unknown] < 0)) {
    return Status::Error(fmt::format("{}: sizes do not add up to axis {}'s {}", NodeLabel(node),
                                     axis, in.shape[axis]));
  }
  MCUNET_RETURN_IF_ERROR(ExpectPieces(g, node, in, axis, sizes, false));
  return Pieces(in, axis, sizes);
}
int64_t MacsSplitV(const Graph&, const Node&) { return 0; }

Status ParseTfliteUnpack(const tflite::Operator& op, Node* node) {
  PackAttrs a;
  if (const auto* o = op.builtin_options_as_UnpackOptions()) a.axis = o->axis(), a.count = o->num();
  node->attrs = a;
  return OkStatus();
}
Expected<TfliteOptions> WriteTfliteUnpack(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                          const Node& node) {
  const auto& a = std::get<PackAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::UnpackOptions,
                 tflite::CreateUnpackOptions(b, a.count, a.axis));
}
Expected<std::unique_ptr<PreparedOp>> PrepareUnpack(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, node.outputs.size()));
  const Tensor& in = In(g, node, 0);
  const int rank = static_cast<int>(in.shape.size());
  const auto& a = std::get<PackAttrs>(node.attrs);
  const int axis = a.axis < 0 ? a.axis + rank : a.axis;
  if (axis < 0 || axis >= rank) {
    return Status::Error(
        fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), a.axis, rank));
  }
  if (in.shape[axis] != static_cast<int32_t>(node.outputs.size()) || a.count != in.shape[axis]) {
    return Status::Error(fmt::format("{}: num {} and {} outputs for an axis of size {}",
                                     NodeLabel(node), a.count, node.outputs.size(),
                                     in.shape[axis]));
  }
  const std::vector<int32_t> sizes(node.outputs.size(), 1);
  MCUNET_RETURN_IF_ERROR(ExpectPieces(g, node, in, axis, sizes, true));
  return Pieces(in, axis, sizes);
}
int64_t MacsUnpack(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
