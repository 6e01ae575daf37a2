// REDUCE_MAX: int8 maximum over constant axes (rank <= 4), with keep_dims either
// way; raw values, so input and output must share scale and zero point (TF Lite
// Micro refuses otherwise).
#include <fmt/format.h>

#include <algorithm>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/reduce_op.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class ReduceMax final : public PreparedOp {
 public:
  explicit ReduceMax(mcunet_reduce_max_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"reduce_max_s8.c",
            MCUNET_C_PARAMS(MCUNET_REDUCE_MAX_PARAMS_FIELDS, mcunet_reduce_max_params, n.prefix,
                            params_),
            fmt::format("mcunet_reduce_max_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_reduce_max_s8(&params_, static_cast<const int8_t*>(b.inputs[0]),
                                static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_reduce_max_params params_;
};

}  // namespace

Status ParseTfliteReduceMax(const tflite::Operator& op, Node* node) {
  ReducerAttrs a;
  if (const auto* o = op.builtin_options_as_ReducerOptions()) a.keep_dims = o->keep_dims();
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteReduceMax(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                             const Node& node) {
  return Options(tflite::BuiltinOptions::ReducerOptions,
                 tflite::CreateReducerOptions(b, std::get<ReducerAttrs>(node.attrs).keep_dims));
}

Expected<std::unique_ptr<PreparedOp>> PrepareReduceMax(const Graph& g, const Node& node) {
  MCUNET_ASSIGN_OR_RETURN(ReduceAxes r, PrepareReduceAxes(g, node));
  MCUNET_RETURN_IF_ERROR(ExpectSameQuant(g, node));
  const Tensor& out = Out(g, node);
  mcunet_reduce_max_params p{};
  std::copy(r.in_dims, r.in_dims + 4, p.in_dims);
  std::copy(r.reduce, r.reduce + 4, p.reduce);
  p.out_count = static_cast<int32_t>(out.NumElements());
  return std::unique_ptr<PreparedOp>(new ReduceMax(p));
}

int64_t MacsReduceMax(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
