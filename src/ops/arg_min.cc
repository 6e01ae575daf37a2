// ARG_MIN: the index of the smallest value along one axis (the first of equals,
// as TF Lite Micro); prepared with ARG_MAX (ops/arg_max.cc).
#include "ops/arg_min_max_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteArgMin(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteArgMin(flatbuffers::FlatBufferBuilder& b, const Graph& g,
                                          const Node& node) {
  const bool int64 = Out(g, node).type == DataType::kInt64;
  return Options(tflite::BuiltinOptions::ArgMinOptions,
                 tflite::CreateArgMinOptions(
                     b, int64 ? tflite::TensorType::INT64 : tflite::TensorType::INT32));
}

Expected<std::unique_ptr<PreparedOp>> PrepareArgMin(const Graph& g, const Node& node) {
  return PrepareArgMinMax(g, node, /*is_max=*/false);
}

int64_t MacsArgMin(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
