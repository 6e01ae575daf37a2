#include "ops/lut_op.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

class LutOp final : public PreparedOp {
 public:
  LutOp(int32_t count, std::vector<int8_t> table) : table_(std::move(table)) {
    params_.count = count;
  }
  int64_t ParameterBytes() const override { return static_cast<int64_t>(table_.size()); }
  // Element i is written after element i is read, in increasing order.
  int64_t InPlaceOffset(size_t) const override { return 0; }
  int Run(const OpBuffers& b) const override {
    mcunet_lut_params p = params_;
    p.table = table_.data();
    return mcunet_lut_s8(&p, static_cast<const int8_t*>(b.inputs[0]),
                         static_cast<int8_t*>(b.outputs[0]));
  }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"lut_s8.c",
            CInt8Array(n.prefix + "_table", table_) +
                MCUNET_C_PARAMS(MCUNET_LUT_PARAMS_FIELDS, mcunet_lut_params, n.prefix, params_),
            fmt::format("mcunet_lut_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }

 private:
  mcunet_lut_params params_{};
  std::vector<int8_t> table_;
};

}  // namespace

Status ExpectUnaryInt8(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  return ExpectShape(g, node, node.outputs[0], In(g, node, 0).shape, "output");
}

std::unique_ptr<PreparedOp> MakeLutOp(const Graph& g, const Node& node,
                                      const std::function<int32_t(int32_t)>& f) {
  std::vector<int8_t> table(256);
  for (int32_t v = -128; v <= 127; ++v) {
    table[v + 128] = static_cast<int8_t>(std::clamp<int32_t>(f(v), -128, 127));
  }
  return std::make_unique<LutOp>(static_cast<int32_t>(Out(g, node).NumElements()),
                                 std::move(table));
}

}  // namespace mcunet
