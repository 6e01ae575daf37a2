// RESIZE_BILINEAR int8, TF Lite Micro's integer path: source positions in
// 1/1024 steps (scale (in << 10) / out rounded, or (in - 1) / (out - 1) with
// align_corners; half_pixel_centers shifts by half a step), the two source rows
// and columns and the second one's weight tabulated here for the kernel. Raw
// values, so the output must share the input's quantisation (TFLite's rule;
// TF Lite Micro does not check it).
#include <fmt/format.h>

#include <algorithm>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

// Per output index: first source index, second, weight of the second (of 1024).
std::vector<int32_t> BilinearTable(int32_t in, int32_t out, const ResizeAttrs& a) {
  int32_t scale = ((in << 10) + out / 2) / out;
  if (a.align_corners && out > 1) scale = (((in - 1) << 10) + (out - 1) / 2) / (out - 1);
  std::vector<int32_t> table;
  for (int32_t o = 0; o < out; ++o) {
    const int32_t pos = a.half_pixel_centers ? o * scale + scale / 2 - (1 << 9) : o * scale;
    const int32_t lo = std::max(pos / 1024, 0);  // C division truncates toward zero
    const int32_t hi = std::min((pos + 1023) / 1024, in - 1);
    table.insert(table.end(), {lo, hi, pos - 1024 * lo});
  }
  return table;
}

class ResizeBilinear final : public PreparedOp {
 public:
  ResizeBilinear(mcunet_resize_bilinear_params p, std::vector<int32_t> y, std::vector<int32_t> x)
      : params_(p), y_(std::move(y)), x_(std::move(x)) {}
  int64_t ParameterBytes() const override {
    return 4 * static_cast<int64_t>(y_.size() + x_.size());
  }
  int Run(const OpBuffers& b) const override {
    mcunet_resize_bilinear_params p = params_;
    p.y_table = y_.data(), p.x_table = x_.data();
    return mcunet_resize_bilinear_s8(&p, static_cast<const int8_t*>(b.inputs[0]),
                                     static_cast<int8_t*>(b.outputs[0]));
  }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"resize_bilinear_s8.c",
            CInt32Array(n.prefix + "_y_table", y_) + CInt32Array(n.prefix + "_x_table", x_) +
                MCUNET_C_PARAMS(MCUNET_RESIZE_BILINEAR_PARAMS_FIELDS, mcunet_resize_bilinear_params,
                                n.prefix, params_),
            fmt::format("mcunet_resize_bilinear_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }

 private:
  mcunet_resize_bilinear_params params_;
  std::vector<int32_t> y_, x_;
};

}  // namespace

Status ParseTfliteResizeBilinear(const tflite::Operator& op, Node* node) {
  ResizeAttrs a;
  if (const auto* o = op.builtin_options_as_ResizeBilinearOptions()) {
    a.align_corners = o->align_corners();
    a.half_pixel_centers = o->half_pixel_centers();
  }
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteResizeBilinear(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                  const Node& node) {
  const auto& a = std::get<ResizeAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::ResizeBilinearOptions,
                 tflite::CreateResizeBilinearOptions(b, a.align_corners, a.half_pixel_centers));
}

Expected<std::unique_ptr<PreparedOp>> PrepareResizeBilinear(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt32, 1));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8, 4));
  const Tensor& in = In(g, node, 0);
  const auto& a = std::get<ResizeAttrs>(node.attrs);
  if (a.align_corners && a.half_pixel_centers) {
    return Status::Error(NodeLabel(node) + ": align_corners and half_pixel_centers together");
  }
  const Tensor& size = In(g, node, 1);
  if (size.NumElements() != 2) {
    return Status::Error(fmt::format("{}: size has {} values, expected 2 (height, width)",
                                     NodeLabel(node), size.NumElements()));
  }
  const int32_t out_h = size.DataAs<int32_t>()[0], out_w = size.DataAs<int32_t>()[1];
  if (out_h < 1 || out_w < 1 || out_h > (1 << 16) || out_w > (1 << 16) || in.shape[1] > (1 << 16) ||
      in.shape[2] > (1 << 16)) {
    return Status::Error(fmt::format("{}: size {}x{} (from {}x{}) outside 1..65536",
                                     NodeLabel(node), out_h, out_w, in.shape[1], in.shape[2]));
  }
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.outputs[0], {in.shape[0], out_h, out_w, in.shape[3]}, "output"));
  MCUNET_RETURN_IF_ERROR(ExpectSameQuant(g, node));
  mcunet_resize_bilinear_params p{};
  p.batches = in.shape[0], p.in_h = in.shape[1], p.in_w = in.shape[2];
  p.out_h = out_h, p.out_w = out_w, p.channels = in.shape[3];
  return std::unique_ptr<PreparedOp>(new ResizeBilinear(p, BilinearTable(in.shape[1], out_h, a),
                                                        BilinearTable(in.shape[2], out_w, a)));
}

int64_t MacsResizeBilinear(const Graph& g, const Node& node) {
  return 4 * Out(g, node).NumElements();
}

}  // namespace mcunet
