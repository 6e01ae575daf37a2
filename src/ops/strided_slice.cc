// STRIDED_SLICE up to rank 4, any element type (int8 copied raw). The start and
// stop of each axis are resolved here exactly as TF Lite Micro does
// (strided_slice_logic.h, StartForAxis / StopForAxis): masks, negative indices
// added to the axis size, clamping to [0, size] (stride > 0) or [-1, size - 1]
// (stride < 0), a shrunk axis taking one element from its start. TFLM ignores
// ellipsis_mask, new_axis_mask and offset; models using them are refused.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "ops/op_util.h"
#include "ops/slice_op.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

int32_t Start(int32_t begin, int32_t stride, int32_t size, bool masked) {
  if (size == 0) return 0;
  int64_t start = begin;
  if (masked) {
    start =
        stride > 0 ? std::numeric_limits<int32_t>::lowest() : std::numeric_limits<int32_t>::max();
  }
  if (start < 0) start += size;
  return static_cast<int32_t>(stride > 0 ? std::clamp<int64_t>(start, 0, size)
                                         : std::clamp<int64_t>(start, -1, size - 1));
}

int32_t Stop(int32_t end, int32_t stride, int32_t size, int32_t start, bool masked, bool shrink) {
  if (shrink) return start + 1;
  int64_t stop = end;
  if (masked) {
    stop =
        stride > 0 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::lowest();
  }
  if (stop < 0) stop += size;
  return static_cast<int32_t>(stride > 0 ? std::clamp<int64_t>(stop, 0, size)
                                         : std::clamp<int64_t>(stop, -1, size - 1));
}

}  // namespace

Status ParseTfliteStridedSlice(const tflite::Operator& op, Node* node) {
  StridedSliceAttrs a;
  if (const auto* o = op.builtin_options_as_StridedSliceOptions()) {
    a.begin_mask = o->begin_mask(), a.end_mask = o->end_mask();
    a.ellipsis_mask = o->ellipsis_mask(), a.new_axis_mask = o->new_axis_mask();
    a.shrink_axis_mask = o->shrink_axis_mask(), a.offset = o->offset();
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteStridedSlice(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                const Node& node) {
  const auto& a = std::get<StridedSliceAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::StridedSliceOptions,
                 tflite::CreateStridedSliceOptions(b, a.begin_mask, a.end_mask, a.ellipsis_mask,
                                                   a.new_axis_mask, a.shrink_axis_mask, a.offset));
}

Expected<std::unique_ptr<PreparedOp>> PrepareStridedSlice(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 4, 4, 1));
  const Tensor& in = In(g, node, 0);
  const int rank = static_cast<int>(in.shape.size());
  if (rank > 4) {
    return Status::Error(fmt::format("{}: input rank {} (at most 4)", NodeLabel(node), rank));
  }
  for (size_t i = 1; i < 4; ++i) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, i, DataType::kInt32, 1));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, i));
    if (In(g, node, i).NumElements() != rank) {
      return Status::Error(fmt::format("{}: {} has {} values for rank {}", NodeLabel(node),
                                       i == 1 ? "begin" : (i == 2 ? "end" : "strides"),
                                       In(g, node, i).NumElements(), rank));
    }
  }
  const auto& a = std::get<StridedSliceAttrs>(node.attrs);
  if (a.ellipsis_mask != 0 || a.new_axis_mask != 0 || a.offset) {
    return Status::Error(fmt::format(
        "{}: ellipsis_mask {}, new_axis_mask {}, offset {}: TF Lite Micro ignores them and "
        "computes another slice, so they are refused",
        NodeLabel(node), a.ellipsis_mask, a.new_axis_mask, a.offset));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type));
  const int32_t* begin = In(g, node, 1).DataAs<int32_t>();
  const int32_t* end = In(g, node, 2).DataAs<int32_t>();
  const int32_t* strides = In(g, node, 3).DataAs<int32_t>();
  mcunet_strided_slice_params p{};
  p.element_bytes = static_cast<int32_t>(DataTypeSize(in.type));
  std::vector<int32_t> expected;
  const int pad = 4 - rank;
  for (int d = 0; d < 4; ++d) {
    if (d < pad) {
      p.in_dims[d] = 1, p.start[d] = 0, p.stop[d] = 1, p.stride[d] = 1;
      continue;
    }
    const int axis = d - pad;
    const int32_t size = in.shape[axis], stride = strides[axis];
    if (stride == 0) {
      return Status::Error(fmt::format("{}: stride 0 on axis {}", NodeLabel(node), axis));
    }
    const bool shrink = (a.shrink_axis_mask >> axis) & 1;
    p.in_dims[d] = size, p.stride[d] = stride;
    p.start[d] = Start(begin[axis], stride, size, (a.begin_mask >> axis) & 1);
    p.stop[d] = Stop(end[axis], stride, size, p.start[d], (a.end_mask >> axis) & 1, shrink);
    const int64_t span = stride > 0 ? p.stop[d] - p.start[d] : p.start[d] - p.stop[d];
    const int64_t step = stride > 0 ? stride : -int64_t{stride};
    const int32_t count = span <= 0 ? 0 : static_cast<int32_t>((span + step - 1) / step);
    if (shrink && count != 1) {
      return Status::Error(fmt::format("{}: shrunk axis {} starts at {}, outside its size {}",
                                       NodeLabel(node), axis, begin[axis], size));
    }
    if (!shrink) expected.push_back(count);
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  return MakeSliceOp({p});
}

int64_t MacsStridedSlice(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
