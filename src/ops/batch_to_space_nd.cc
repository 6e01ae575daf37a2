// BATCH_TO_SPACE_ND: the inverse of SPACE_TO_BATCH_ND, with crops for paddings
// (prepared with it, ops/space_to_batch_nd.cc). Raw values.
#include "ops/op_util.h"
#include "ops/space_batch_op.h"
#include "ops/tflite_options.h"

namespace mcunet {

Status ParseTfliteBatchToSpaceNd(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteBatchToSpaceNd(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                  const Node&) {
  return Options(tflite::BuiltinOptions::BatchToSpaceNDOptions,
                 tflite::CreateBatchToSpaceNDOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareBatchToSpaceNd(const Graph& g, const Node& node) {
  return PrepareSpaceBatch(g, node, /*to_batch=*/false);
}

int64_t MacsBatchToSpaceNd(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
