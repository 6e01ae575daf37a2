// SLICE: a box of the input given by constant begin and size (int32 or int64;
// size -1 runs to the end of the axis), any element type, up to rank 4. The
// strided-slice copy with stride 1 (ops/slice_op.h).
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/slice_op.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

Expected<std::vector<int64_t>> ConstantIndices(const Graph& g, const Node& node, size_t i, int rank,
                                               const char* what) {
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, i));
  const Tensor& t = In(g, node, i);
  if ((t.type != DataType::kInt32 && t.type != DataType::kInt64) || t.NumElements() != rank) {
    return Status::Error(fmt::format("{}: {} must hold {} int32 or int64 values, is {} {}",
                                     NodeLabel(node), what, rank, DataTypeName(t.type),
                                     t.ShapeString()));
  }
  std::vector<int64_t> v;
  for (int d = 0; d < rank; ++d) {
    v.push_back(t.type == DataType::kInt32 ? int64_t{t.DataAs<int32_t>()[d]}
                                           : t.DataAs<int64_t>()[d]);
  }
  return v;
}

}  // namespace

Status ParseTfliteSlice(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteSlice(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                         const Node&) {
  return Options(tflite::BuiltinOptions::SliceOptions, tflite::CreateSliceOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSlice(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 3, 3, 1));
  const Tensor& in = In(g, node, 0);
  const int rank = static_cast<int>(in.shape.size());
  if (rank > 4) {
    return Status::Error(fmt::format("{}: input rank {} (at most 4)", NodeLabel(node), rank));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type));
  MCUNET_ASSIGN_OR_RETURN(const auto begin, ConstantIndices(g, node, 1, rank, "begin"));
  MCUNET_ASSIGN_OR_RETURN(const auto size, ConstantIndices(g, node, 2, rank, "size"));
  SliceBox box;
  std::vector<int32_t> expected;
  for (int d = 0; d < rank; ++d) {
    const int64_t n = size[d] == -1 ? in.shape[d] - begin[d] : size[d];
    if (begin[d] < 0 || n < 0 || begin[d] + n > in.shape[d]) {
      return Status::Error(fmt::format("{}: begin {} size {} on axis {} of size {}",
                                       NodeLabel(node), begin[d], size[d], d, in.shape[d]));
    }
    box.start.push_back(static_cast<int32_t>(begin[d]));
    box.stop.push_back(static_cast<int32_t>(begin[d] + n));
    box.stride.push_back(1);
    expected.push_back(static_cast<int32_t>(n));
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  return MakeSliceOp({SliceParams(in, box)});
}

int64_t MacsSlice(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
