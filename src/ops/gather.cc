// GATHER: slices of input 0 (int8, int16, int32 or float32: raw bytes, so the
// quantisation passes through) picked along `axis` by int32 indices, with
// `batch_dims` leading axes shared by both. Output shape input[:axis] ++
// indices[batch_dims:] ++ input[axis+1:]. Constant indices are checked here;
// indices the model computes are checked by the kernel (an error, where TF Lite
// Micro would read out of bounds). With constant input and indices the node is
// folded away (compiler/fold_constants.h).
#include <fmt/format.h>

#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class Gather final : public PreparedOp {
 public:
  explicit Gather(mcunet_gather_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"gather.c",
            MCUNET_C_PARAMS(MCUNET_GATHER_PARAMS_FIELDS, mcunet_gather_params, n.prefix, params_),
            fmt::format("mcunet_gather(&{}_params, {}, {}, {})", n.prefix,
                        CArg("const void", n.inputs[0]), CArg("const int32_t", n.inputs[1]),
                        CArg("void", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_gather(&params_, b.inputs[0], static_cast<const int32_t*>(b.inputs[1]),
                         b.outputs[0]);
  }

 private:
  mcunet_gather_params params_;
};

}  // namespace

Status ParseTfliteGather(const tflite::Operator& op, Node* node) {
  GatherAttrs a;
  if (const auto* o = op.builtin_options_as_GatherOptions()) {
    a.axis = o->axis();
    a.batch_dims = o->batch_dims();
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteGather(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                          const Node& node) {
  const auto& a = std::get<GatherAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::GatherOptions,
                 tflite::CreateGatherOptions(b, a.axis, a.batch_dims));
}

Expected<std::unique_ptr<PreparedOp>> PrepareGather(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  const Tensor& in = In(g, node, 0);
  const Tensor& indices = In(g, node, 1);
  if (in.type != DataType::kInt8 && in.type != DataType::kInt16 && in.type != DataType::kInt32 &&
      in.type != DataType::kFloat32) {
    return Status::Error(
        fmt::format("{}: input type {} not supported (int8, int16, int32, float32)",
                    NodeLabel(node), DataTypeName(in.type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type));
  const auto& a = std::get<GatherAttrs>(node.attrs);
  const int rank = static_cast<int>(in.shape.size());
  const int index_rank = static_cast<int>(indices.shape.size());
  const int axis = a.axis < 0 ? a.axis + rank : a.axis;
  // As TF Lite Micro: a negative batch_dims counts from the indices' rank.
  const int batch_dims = a.batch_dims < 0 ? a.batch_dims + index_rank : a.batch_dims;
  if (axis < 0 || axis >= rank) {
    return Status::Error(
        fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), a.axis, rank));
  }
  if (batch_dims < 0 || batch_dims > axis || batch_dims > index_rank) {
    return Status::Error(
        fmt::format("{}: batch_dims {} must be in 0..min(axis {}, indices rank {})",
                    NodeLabel(node), a.batch_dims, axis, index_rank));
  }
  int64_t batches = 1, outer = 1, coords = 1, inner = DataTypeSize(in.type);
  std::vector<int32_t> expected;
  for (int d = 0; d < batch_dims; ++d) {
    if (in.shape[d] != indices.shape[d]) {
      return Status::Error(fmt::format("{}: batch axis {} is {} in the input, {} in the indices",
                                       NodeLabel(node), d, in.shape[d], indices.shape[d]));
    }
    batches *= in.shape[d];
  }
  for (int d = 0; d < axis; ++d) expected.push_back(in.shape[d]);
  for (int d = batch_dims; d < axis; ++d) outer *= in.shape[d];
  for (int d = batch_dims; d < index_rank; ++d) {
    coords *= indices.shape[d];
    expected.push_back(indices.shape[d]);
  }
  for (int d = axis + 1; d < rank; ++d) {
    inner *= in.shape[d];
    expected.push_back(in.shape[d]);
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  if (batches * outer * coords * inner > std::numeric_limits<int32_t>::max() ||
      in.Bytes() > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": tensors above 2 GB");
  }
  if (indices.is_constant) {
    for (int64_t i = 0; i < indices.NumElements(); ++i) {
      const int32_t v = indices.DataAs<int32_t>()[i];
      if (v < 0 || v >= in.shape[axis]) {
        return Status::Error(fmt::format("{}: index {} (element {} of {}) outside 0..{}",
                                         NodeLabel(node), v, i, TensorLabel(g, node.inputs[1]),
                                         in.shape[axis] - 1));
      }
    }
  }
  mcunet_gather_params p{};
  p.batches = static_cast<int32_t>(batches);
  p.outer = static_cast<int32_t>(outer);
  p.coords = static_cast<int32_t>(coords);
  p.axis_size = in.shape[axis];
  p.inner_bytes = static_cast<int32_t>(inner);
  return std::unique_ptr<PreparedOp>(new Gather(p));
}

int64_t MacsGather(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
