// RESIZE_NEAREST_NEIGHBOR on NHWC tensors of any type (int8 copied raw, as TF
// Lite Micro does). The source row and column of each output row and column are
// computed here with TFLM's float32 arithmetic (resize_nearest_neighbor.h:
// scale in/out or (in-1)/(out-1) with align_corners, 0.5 offset with
// half_pixel_centers, round or floor, clamped) and handed to the kernel as tables.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

std::vector<int32_t> SourceIndices(int32_t in, int32_t out, const ResizeAttrs& a) {
  const float scale = a.align_corners && out > 1
                          ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                          : static_cast<float>(in) / static_cast<float>(out);
  const float offset = a.half_pixel_centers ? 0.5f : 0.0f;
  std::vector<int32_t> index(out);
  for (int32_t o = 0; o < out; ++o) {
    const float v = (static_cast<float>(o) + offset) * scale;
    int32_t i = static_cast<int32_t>(a.align_corners ? std::round(v) : std::floor(v));
    i = std::min(i, in - 1);
    if (a.half_pixel_centers) i = std::max(i, 0);
    index[o] = i;
  }
  return index;
}

class ResizeNearest final : public PreparedOp {
 public:
  ResizeNearest(mcunet_resize_nearest_params p, std::vector<int32_t> y, std::vector<int32_t> x)
      : params_(p), y_(std::move(y)), x_(std::move(x)) {}
  int64_t ParameterBytes() const override {
    return 4 * static_cast<int64_t>(y_.size() + x_.size());
  }
  int Run(const OpBuffers& b) const override {
    mcunet_resize_nearest_params p = params_;
    p.y_index = y_.data(), p.x_index = x_.data();
    return mcunet_resize_nearest(&p, b.inputs[0], b.outputs[0]);
  }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"resize_nearest.c",
            CInt32Array(n.prefix + "_y_index", y_) + CInt32Array(n.prefix + "_x_index", x_) +
                MCUNET_C_PARAMS(MCUNET_RESIZE_NEAREST_PARAMS_FIELDS, mcunet_resize_nearest_params,
                                n.prefix, params_),
            fmt::format("mcunet_resize_nearest(&{}_params, {}, {})", n.prefix,
                        CArg("const void", n.inputs[0]), CArg("void", n.outputs[0]))};
  }

 private:
  mcunet_resize_nearest_params params_;
  std::vector<int32_t> y_, x_;
};

}  // namespace

Status ParseTfliteResizeNearestNeighbor(const tflite::Operator& op, Node* node) {
  ResizeAttrs a;
  if (const auto* o = op.builtin_options_as_ResizeNearestNeighborOptions()) {
    a.align_corners = o->align_corners();
    a.half_pixel_centers = o->half_pixel_centers();
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteResizeNearestNeighbor(flatbuffers::FlatBufferBuilder& b,
                                                         const Graph&, const Node& node) {
  const auto& a = std::get<ResizeAttrs>(node.attrs);
  return Options(
      tflite::BuiltinOptions::ResizeNearestNeighborOptions,
      tflite::CreateResizeNearestNeighborOptions(b, a.align_corners, a.half_pixel_centers));
}

Expected<std::unique_ptr<PreparedOp>> PrepareResizeNearestNeighbor(const Graph& g,
                                                                   const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  const Tensor& in = In(g, node, 0);
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, in.type, 4));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32, 1));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type, 4));
  const Tensor& size = In(g, node, 1);
  if (size.NumElements() != 2) {
    return Status::Error(fmt::format("{}: size has {} values, expected 2 (height, width)",
                                     NodeLabel(node), size.NumElements()));
  }
  const int32_t out_h = size.DataAs<int32_t>()[0], out_w = size.DataAs<int32_t>()[1];
  if (out_h < 1 || out_w < 1 || out_h > (1 << 16) || out_w > (1 << 16)) {
    return Status::Error(
        fmt::format("{}: size {}x{} outside 1..65536", NodeLabel(node), out_h, out_w));
  }
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.outputs[0], {in.shape[0], out_h, out_w, in.shape[3]}, "output"));
  const auto& a = std::get<ResizeAttrs>(node.attrs);
  mcunet_resize_nearest_params p{};
  p.batches = in.shape[0], p.in_h = in.shape[1], p.in_w = in.shape[2];
  p.out_h = out_h, p.out_w = out_w;
  p.pixel_bytes = static_cast<int32_t>(in.shape[3] * DataTypeSize(in.type));
  return std::unique_ptr<PreparedOp>(new ResizeNearest(p, SourceIndices(in.shape[1], out_h, a),
                                                       SourceIndices(in.shape[2], out_w, a)));
}

int64_t MacsResizeNearestNeighbor(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
