// SPACE_TO_BATCH_ND: [N, H, W, C] padded to [N, H + pads, W + pads, C], then each
// block offset (sh, sw) becomes its own group of N batches: output [N * bh * bw,
// (H + pads) / bh, (W + pads) / bw, C]. Padded positions hold the output zero
// point (TF Lite's meaning; TF Lite Micro at 90b983c writes an unset byte, which
// is 0 in a zeroed arena). Raw values: the quantisation passes through. Also the
// preparation BATCH_TO_SPACE_ND shares.
#include <fmt/format.h>

#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op_util.h"
#include "ops/space_batch_op.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class SpaceBatch final : public PreparedOp {
 public:
  SpaceBatch(mcunet_space_batch_params p, bool to_batch) : params_(p), to_batch_(to_batch) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"space_batch.c",
            MCUNET_C_PARAMS(MCUNET_SPACE_BATCH_PARAMS_FIELDS, mcunet_space_batch_params, n.prefix,
                            params_),
            fmt::format("{}(&{}_params, {}, {})",
                        to_batch_ ? "mcunet_space_to_batch" : "mcunet_batch_to_space", n.prefix,
                        CArg("const void", n.inputs[0]), CArg("void", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return to_batch_ ? mcunet_space_to_batch(&params_, b.inputs[0], b.outputs[0])
                     : mcunet_batch_to_space(&params_, b.inputs[0], b.outputs[0]);
  }

 private:
  mcunet_space_batch_params params_;
  bool to_batch_;
};

}  // namespace

Expected<std::unique_ptr<PreparedOp>> PrepareSpaceBatch(const Graph& g, const Node& node,
                                                        bool to_batch) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 3, 3, 1));
  const Tensor& in = In(g, node, 0);
  if (in.type != DataType::kInt8 && in.type != DataType::kFloat32) {
    return Status::Error(fmt::format("{}: input type {} not supported (int8, float32)",
                                     NodeLabel(node), DataTypeName(in.type)));
  }
  const int rank = static_cast<int>(in.shape.size());
  if (rank != 3 && rank != 4) {
    return Status::Error(fmt::format("{}: input rank {} is not 3 or 4", NodeLabel(node), rank));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type, rank));
  const int m = rank - 2;  // spatial axes
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32, 1));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 2, DataType::kInt32, 2));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 2));
  const Tensor& block = In(g, node, 1);
  const Tensor& pads = In(g, node, 2);
  const char* what = to_batch ? "paddings" : "crops";
  if (block.NumElements() != m || pads.shape != std::vector<int32_t>{m, 2}) {
    return Status::Error(fmt::format("{}: block shape {} and {} {} for {} spatial axes",
                                     NodeLabel(node), block.ShapeString(), what, pads.ShapeString(),
                                     m));
  }
  const int32_t* bs = block.DataAs<int32_t>();
  const int32_t* pd = pads.DataAs<int32_t>();
  for (int i = 0; i < m; ++i) {
    if (bs[i] < 1 || bs[i] > (1 << 15) || pd[2 * i] < 0 || pd[2 * i + 1] < 0 ||
        pd[2 * i] > (1 << 20) || pd[2 * i + 1] > (1 << 20)) {
      return Status::Error(fmt::format("{}: block {} or {} ({}, {}) out of range on axis {}",
                                       NodeLabel(node), bs[i], what, pd[2 * i], pd[2 * i + 1],
                                       i + 1));
    }
  }
  const int32_t bh = bs[0], bw = m == 2 ? bs[1] : 1;
  const int32_t before_h = pd[0], after_h = pd[1];
  const int32_t before_w = m == 2 ? pd[2] : 0, after_w = m == 2 ? pd[3] : 0;
  // The spatial tensor [N, H, W, C] and the batched one [N * bh * bw, H', W', C].
  const Tensor& out = Out(g, node);
  const Tensor& space = to_batch ? in : out;
  const Tensor& batched = to_batch ? out : in;
  const int32_t c = in.shape[rank - 1];
  std::vector<int32_t> expected;
  if (to_batch) {
    const int64_t h = int64_t{in.shape[1]} + before_h + after_h;
    const int64_t w = (m == 2 ? int64_t{in.shape[2]} : 1) + before_w + after_w;
    if (h % bh != 0 || w % bw != 0) {
      return Status::Error(fmt::format("{}: padded size {}x{} is not a multiple of block {}x{}",
                                       NodeLabel(node), h, w, bh, bw));
    }
    expected = {in.shape[0] * bh * bw, static_cast<int32_t>(h / bh)};
    if (m == 2) expected.push_back(static_cast<int32_t>(w / bw));
  } else {
    if (in.shape[0] % (bh * bw) != 0) {
      return Status::Error(fmt::format("{}: batch {} is not a multiple of block {}x{}",
                                       NodeLabel(node), in.shape[0], bh, bw));
    }
    const int64_t h = int64_t{in.shape[1]} * bh - before_h - after_h;
    const int64_t w = (m == 2 ? int64_t{in.shape[2]} * bw : 1) - before_w - after_w;
    if (h < 1 || w < 1) {
      return Status::Error(fmt::format("{}: crops leave {}x{}", NodeLabel(node), h, w));
    }
    expected = {in.shape[0] / (bh * bw), static_cast<int32_t>(h)};
    if (m == 2) expected.push_back(static_cast<int32_t>(w));
  }
  expected.push_back(c);
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  if (in.Bytes() > std::numeric_limits<int32_t>::max() ||
      out.Bytes() > std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": tensors above 2 GB");
  }
  mcunet_space_batch_params p{};
  p.space_dims[0] = space.shape[0], p.space_dims[1] = space.shape[1];
  p.space_dims[2] = m == 2 ? space.shape[2] : 1, p.space_dims[3] = c;
  p.batch_dims[0] = batched.shape[0], p.batch_dims[1] = batched.shape[1];
  p.batch_dims[2] = m == 2 ? batched.shape[2] : 1;
  p.block_h = bh, p.block_w = bw, p.top = before_h, p.left = before_w;
  p.element_size = static_cast<int32_t>(DataTypeSize(in.type));
  p.pad_byte = in.type == DataType::kInt8 && !out.quant.zero_points.empty()
                   ? static_cast<int32_t>(static_cast<uint8_t>(out.quant.zero_point()))
                   : 0;
  return std::unique_ptr<PreparedOp>(new SpaceBatch(p, to_batch));
}

Status ParseTfliteSpaceToBatchNd(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteSpaceToBatchNd(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                  const Node&) {
  return Options(tflite::BuiltinOptions::SpaceToBatchNDOptions,
                 tflite::CreateSpaceToBatchNDOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareSpaceToBatchNd(const Graph& g, const Node& node) {
  return PrepareSpaceBatch(g, node, /*to_batch=*/true);
}

int64_t MacsSpaceToBatchNd(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
