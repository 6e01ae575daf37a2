// ARG_MAX: the index of the largest value along one axis (the first of equals,
// as TF Lite Micro); int32 or int64 output. Also the preparation ARG_MIN shares.
#include <fmt/format.h>

#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/arg_min_max_op.h"
#include "ops/kernel_emit.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class ArgMinMax final : public PreparedOp {
 public:
  explicit ArgMinMax(mcunet_arg_min_max_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"arg_min_max.c",
            MCUNET_C_PARAMS(MCUNET_ARG_MIN_MAX_PARAMS_FIELDS, mcunet_arg_min_max_params, n.prefix,
                            params_),
            fmt::format("mcunet_arg_min_max(&{}_params, {}, {})", n.prefix,
                        CArg("const void", n.inputs[0]), CArg("void", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_arg_min_max(&params_, b.inputs[0], b.outputs[0]);
  }

 private:
  mcunet_arg_min_max_params params_;
};

}  // namespace

Expected<std::unique_ptr<PreparedOp>> PrepareArgMinMax(const Graph& g, const Node& node,
                                                       bool is_max) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  const Tensor& in = In(g, node, 0);
  if (in.type != DataType::kInt8 && in.type != DataType::kFloat32) {
    return Status::Error(fmt::format("{}: input type {} not supported (int8, float32)",
                                     NodeLabel(node), DataTypeName(in.type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  const Tensor& out = Out(g, node);
  if (out.type != DataType::kInt32 && out.type != DataType::kInt64) {
    return Status::Error(fmt::format("{}: output type {} not supported (int32, int64)",
                                     NodeLabel(node), DataTypeName(out.type)));
  }
  const int rank = static_cast<int>(in.shape.size());
  const Tensor& axis_tensor = In(g, node, 1);
  if (axis_tensor.NumElements() < 1) {
    return Status::Error(NodeLabel(node) + ": the axis tensor is empty");
  }
  const int32_t written = axis_tensor.DataAs<int32_t>()[0];
  const int axis = written < 0 ? written + rank : written;
  if (rank < 1 || axis < 0 || axis >= rank) {
    return Status::Error(
        fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), written, rank));
  }
  if (in.shape[axis] == 0) {
    return Status::Error(NodeLabel(node) + ": the reduced axis is empty");
  }
  std::vector<int32_t> expected;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < rank; ++d) {
    if (d != axis) expected.push_back(in.shape[d]);
    if (d < axis) outer *= in.shape[d];
    if (d > axis) inner *= in.shape[d];
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  if (in.NumElements() > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": input above 2^31 elements");
  }
  mcunet_arg_min_max_params p{};
  p.outer = static_cast<int32_t>(outer);
  p.axis_size = in.shape[axis];
  p.inner = static_cast<int32_t>(inner);
  p.is_max = is_max ? 1 : 0;
  p.input_float = in.type == DataType::kFloat32 ? 1 : 0;
  p.output_int64 = out.type == DataType::kInt64 ? 1 : 0;
  return std::unique_ptr<PreparedOp>(new ArgMinMax(p));
}

Status ParseTfliteArgMax(const tflite::Operator&, Node*) { return OkStatus(); }

// The output type is the output tensor's; the options table repeats it.
Expected<TfliteOptions> WriteTfliteArgMax(flatbuffers::FlatBufferBuilder& b, const Graph& g,
                                          const Node& node) {
  const bool int64 = Out(g, node).type == DataType::kInt64;
  return Options(tflite::BuiltinOptions::ArgMaxOptions,
                 tflite::CreateArgMaxOptions(
                     b, int64 ? tflite::TensorType::INT64 : tflite::TensorType::INT32));
}

Expected<std::unique_ptr<PreparedOp>> PrepareArgMax(const Graph& g, const Node& node) {
  return PrepareArgMinMax(g, node, /*is_max=*/true);
}

int64_t MacsArgMax(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
