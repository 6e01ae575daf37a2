// DEPTH_TO_SPACE: [N, H, W, bs*bs*C] -> [N, H*bs, W*bs, C], channel block (by, bx, c)
// to pixel (h*bs + by, w*bs + bx): TFLite's DCR order, i.e. the input seen as
// [N, H, W, bs, bs, C] transposed to [N, H, bs, W, bs, C].
// The shared preparation of both block rearrangements lives here.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/tflite_options.h"
#include "ops/transpose_op.h"

namespace mcunet {

Expected<std::unique_ptr<PreparedOp>> PrepareBlockRearrange(const Graph& g, const Node& node,
                                                            bool to_space) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  const Tensor& in = In(g, node, 0);
  if (in.type != DataType::kInt8 && in.type != DataType::kFloat32) {
    return Status::Error(fmt::format("{}: input type {} not supported (int8, float32)",
                                     NodeLabel(node), DataTypeName(in.type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, in.type, 4));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type, 4));
  const int32_t bs = std::get<BlockSizeAttrs>(node.attrs).block_size;
  if (bs <= 0 || bs > (1 << 15)) {
    return Status::Error(fmt::format("{}: block_size {} must be positive", NodeLabel(node), bs));
  }
  const int32_t n = in.shape[0], h = in.shape[1], w = in.shape[2], c = in.shape[3];
  mcunet_transpose_params p{};
  std::vector<int32_t> expected;
  if (to_space) {
    if (c % (bs * bs) != 0) {
      return Status::Error(fmt::format("{}: {} channels are not a multiple of block_size^2 = {}",
                                       NodeLabel(node), c, bs * bs));
    }
    const int32_t view[6] = {n, h, w, bs, bs, c / (bs * bs)};
    std::copy(view, view + 6, p.in_dims);
    expected = {n, h * bs, w * bs, c / (bs * bs)};
  } else {
    if (h % bs != 0 || w % bs != 0) {
      return Status::Error(
          fmt::format("{}: height {} and width {} must be multiples of "
                      "block_size {}",
                      NodeLabel(node), h, w, bs));
    }
    const int32_t view[6] = {n, h / bs, bs, w / bs, bs, c};
    std::copy(view, view + 6, p.in_dims);
    expected = {n, h / bs, w / bs, c * bs * bs};
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  const int32_t perm[6] = {0, 1, 3, 2, 4, 5};  // swap the middle axes, either way
  std::copy(perm, perm + 6, p.perm);
  p.element_size = static_cast<int32_t>(DataTypeSize(in.type));
  return MakeTransposeOp(p);
}

Status ParseTfliteDepthToSpace(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_DepthToSpaceOptions();
  if (!o) return MissingOptions("DepthToSpaceOptions");
  node->attrs = BlockSizeAttrs{o->block_size()};
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteDepthToSpace(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                const Node& node) {
  return Options(
      tflite::BuiltinOptions::DepthToSpaceOptions,
      tflite::CreateDepthToSpaceOptions(b, std::get<BlockSizeAttrs>(node.attrs).block_size));
}

Expected<std::unique_ptr<PreparedOp>> PrepareDepthToSpace(const Graph& g, const Node& node) {
  return PrepareBlockRearrange(g, node, /*to_space=*/true);
}

int64_t MacsDepthToSpace(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
