// TRANSPOSE: constant int32 permutation, rank <= 6, int8 or float32.
#include <fmt/format.h>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"
#include "ops/transpose_op.h"

namespace mcunet {
namespace {

class Transpose final : public PreparedOp {
 public:
  explicit Transpose(mcunet_transpose_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {
        "transpose.c",
        MCUNET_C_PARAMS(MCUNET_TRANSPOSE_PARAMS_FIELDS, mcunet_transpose_params, n.prefix, params_),
        fmt::format("mcunet_transpose(&{}_params, {}, {})", n.prefix,
                    CArg("const void", n.inputs[0]), CArg("void", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_transpose(&params_, b.inputs[0], b.outputs[0]);
  }

 private:
  mcunet_transpose_params params_;
};

}  // namespace

std::unique_ptr<PreparedOp> MakeTransposeOp(const mcunet_transpose_params& params) {
  return std::make_unique<Transpose>(params);
}

Status ParseTfliteTranspose(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTfliteTranspose(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                             const Node&) {
  return Options(tflite::BuiltinOptions::TransposeOptions, tflite::CreateTransposeOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareTranspose(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32, 1));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  const Tensor& in = In(g, node, 0);
  if (in.type != DataType::kInt8 && in.type != DataType::kFloat32) {
    return Status::Error(fmt::format("{}: input type {} not supported (int8, float32)",
                                     NodeLabel(node), DataTypeName(in.type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type));
  const int rank = static_cast<int>(in.shape.size());
  const Tensor& perm = In(g, node, 1);
  if (rank > 6 || perm.NumElements() != rank) {
    return Status::Error(fmt::format("{}: permutation of {} axes for rank {} (at most 6)",
                                     NodeLabel(node), perm.NumElements(), rank));
  }
  mcunet_transpose_params p{};
  std::vector<int32_t> expected(rank);
  std::vector<bool> seen(rank, false);
  const int pad = 6 - rank;
  for (int i = 0; i < 6; ++i) {
    p.in_dims[i] = i < pad ? 1 : in.shape[i - pad];
    p.perm[i] = i;
  }
  for (int i = 0; i < rank; ++i) {
    const int32_t axis = perm.DataAs<int32_t>()[i];
    if (axis < 0 || axis >= rank || seen[axis]) {
      return Status::Error(
          fmt::format("{}: permutation is not a permutation of 0..{}", NodeLabel(node), rank - 1));
    }
    seen[axis] = true;
    p.perm[i + pad] = axis + pad;
    expected[i] = in.shape[axis];
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  p.element_size = static_cast<int32_t>(DataTypeSize(in.type));
  return MakeTransposeOp(p);
}

int64_t MacsTranspose(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
