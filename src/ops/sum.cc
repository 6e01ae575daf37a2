// SUM: int8 sum over constant axes (rank <= 4), with keep_dims either way;
// TF Lite Micro's QuantizedMeanOrSum (ops/reduce_op.h).
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/reduce_op.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteSum(const tflite::Operator& op, Node* node) {
  ReducerAttrs a;
  if (const auto* o = op.builtin_options_as_ReducerOptions()) a.keep_dims = o->keep_dims();
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteSum(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                       const Node& node) {
  return Options(tflite::BuiltinOptions::ReducerOptions,
                 tflite::CreateReducerOptions(b, std::get<ReducerAttrs>(node.attrs).keep_dims));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSum(const Graph& g, const Node& node) {
  return PrepareMeanOrSum(g, node, /*sum=*/true);
}

int64_t MacsSum(const Graph& g, const Node& node) { return In(g, node, 0).NumElements(); }

}  // namespace mcunet
