// SPACE_TO_DEPTH: [N, H, W, C] -> [N, H/bs, W/bs, bs*bs*C], the inverse of DEPTH_TO_SPACE:
// [N, H/bs, bs, W/bs, bs, C] transposed to [N, H/bs, W/bs, bs, bs, C].
#include "ops/op_util.h"
#include "ops/tflite_options.h"
#include "ops/transpose_op.h"

namespace mcunet {

Status ParseTfliteSpaceToDepth(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_SpaceToDepthOptions();
  if (!o) return MissingOptions("SpaceToDepthOptions");
  node->attrs = BlockSizeAttrs{o->block_size()};
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteSpaceToDepth(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                const Node& node) {
  return Options(
      tflite::BuiltinOptions::SpaceToDepthOptions,
      tflite::CreateSpaceToDepthOptions(b, std::get<BlockSizeAttrs>(node.attrs).block_size));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSpaceToDepth(const Graph& g, const Node& node) {
  return PrepareBlockRearrange(g, node, /*to_space=*/false);
}

int64_t MacsSpaceToDepth(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
