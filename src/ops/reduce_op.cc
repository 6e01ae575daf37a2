#include "ops/reduce_op.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

class MeanOrSum final : public PreparedOp {
 public:
  explicit MeanOrSum(mcunet_mean_params p) : params_(p) {}
  // Every input byte is summed into scratch before the first output byte is written.
  int64_t InPlaceOffset(size_t input) const override { return input == 0 ? 0 : kNoInPlace; }
  int64_t ScratchBytes() const override { return int64_t{params_.out_count} * 4; }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"mean_s8.c",
            MCUNET_C_PARAMS(MCUNET_MEAN_PARAMS_FIELDS, mcunet_mean_params, n.prefix, params_),
            fmt::format("mcunet_mean_s8(&{}_params, {}, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]),
                        CArg("int32_t", n.scratch))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_mean_s8(&params_, static_cast<const int8_t*>(b.inputs[0]),
                          static_cast<int8_t*>(b.outputs[0]), static_cast<int32_t*>(b.scratch));
  }

 private:
  mcunet_mean_params params_;
};

}  // namespace

Expected<ReduceAxes> PrepareReduceAxes(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8));
  const Tensor& in = In(g, node, 0);
  const Tensor& axes = In(g, node, 1);
  const int rank = static_cast<int>(in.shape.size());
  if (rank < 1 || rank > 4) {
    return Status::Error(fmt::format("{}: input rank {} not in 1..4", NodeLabel(node), rank));
  }
  std::vector<bool> reduced(rank, false);
  for (int64_t i = 0; i < axes.NumElements(); ++i) {
    const int32_t axis = axes.DataAs<int32_t>()[i];
    if (axis < -rank || axis >= rank) {
      return Status::Error(
          fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), axis, rank));
    }
    reduced[axis < 0 ? axis + rank : axis] = true;
  }
  const bool keep_dims = std::get<ReducerAttrs>(node.attrs).keep_dims;
  std::vector<int32_t> expected;
  ReduceAxes r{};
  r.count = 1;
  const int pad = 4 - rank;
  for (int i = 0; i < 4; ++i) {
    r.in_dims[i] = i < pad ? 1 : in.shape[i - pad];
    r.reduce[i] = i < pad ? 0 : reduced[i - pad];
    if (r.reduce[i]) r.count *= r.in_dims[i];
  }
  for (int i = 0; i < rank; ++i) {
    if (!reduced[i])
      expected.push_back(in.shape[i]);
    else if (keep_dims)
      expected.push_back(1);
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  if (in.NumElements() == 0) {
    return Status::Error(NodeLabel(node) + ": the input has no elements to reduce");
  }
  return r;
}

Expected<std::unique_ptr<PreparedOp>> PrepareMeanOrSum(const Graph& g, const Node& node, bool sum) {
  MCUNET_ASSIGN_OR_RETURN(ReduceAxes r, PrepareReduceAxes(g, node));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  // |value - zero point| <= 256 for each summed element.
  if (r.count * 256 > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": too many elements per output for an int32 sum");
  }
  mcunet_mean_params p{};
  std::copy(r.in_dims, r.in_dims + 4, p.in_dims);
  std::copy(r.reduce, r.reduce + 4, p.reduce);
  p.out_count = static_cast<int32_t>(out.NumElements());
  const QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in.quant.scale()) /
                                                   static_cast<double>(out.quant.scale()));
  p.multiplier = m.multiplier;
  p.shift = m.shift;
  if (!sum) {
    // MEAN: 1 / count folded into the multiplier, as TF Lite Micro's
    // QuantizedMeanOrSum folds it (the shift kept where its arithmetic stays exact).
    int fold = 63 - std::countl_zero(static_cast<uint64_t>(r.count));  // floor(log2(count))
    fold = std::min({fold, 32, 31 + m.shift});
    p.multiplier = static_cast<int32_t>((static_cast<int64_t>(m.multiplier) << fold) / r.count);
    p.shift = m.shift - fold;
  }
  p.input_zero_point = in.quant.zero_point();
  p.output_zero_point = out.quant.zero_point();
  return std::unique_ptr<PreparedOp>(new MeanOrSum(p));
}

}  // namespace mcunet
