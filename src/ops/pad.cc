// PAD and PADV2: constant paddings ([rank, 2], int32 or int64), rank <= 4.
// PAD fills with the zero point (real 0); PADV2 with its constant third input.
#include <fmt/format.h>

#include <cstring>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class Pad final : public PreparedOp {
 public:
  Pad(mcunet_pad_params p, std::vector<uint8_t> value) : params_(p), value_(std::move(value)) {
    params_.pad_value = value_.data();
  }
  EmittedCall Emit(const EmitNames& n) const override {
    std::string value =
        fmt::format("static const uint8_t {}_pad_value[{}] = {{", n.prefix, value_.size());
    for (size_t i = 0; i < value_.size(); ++i)
      value += fmt::format("{}{}", i ? ", " : "", value_[i]);
    value += "};\n";
    return {"pad.c",
            value + MCUNET_C_PARAMS(MCUNET_PAD_PARAMS_FIELDS, mcunet_pad_params, n.prefix, params_),
            fmt::format("mcunet_pad(&{}_params, {}, {})", n.prefix, CArg("const void", n.inputs[0]),
                        CArg("void", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_pad(&params_, b.inputs[0], b.outputs[0]);
  }

 private:
  mcunet_pad_params params_;
  std::vector<uint8_t> value_;
};

Expected<std::unique_ptr<PreparedOp>> PreparePadding(const Graph& g, const Node& node,
                                                     bool explicit_value) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, explicit_value ? 3 : 2, explicit_value ? 3 : 2, 1));
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  if (in.type != DataType::kInt8 && in.type != DataType::kFloat32) {
    return Status::Error(fmt::format("{}: input type {} not supported (int8, float32)",
                                     NodeLabel(node), DataTypeName(in.type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  const Tensor& pads = In(g, node, 1);
  const int rank = static_cast<int>(in.shape.size());
  if (rank > 4) return Status::Error(NodeLabel(node) + ": rank above 4 is not supported");
  if ((pads.type != DataType::kInt32 && pads.type != DataType::kInt64) ||
      pads.shape != std::vector<int32_t>{rank, 2}) {
    return Status::Error(fmt::format("{}: paddings ({}) must be int32/int64 of shape {}x2",
                                     NodeLabel(node), TensorLabel(g, node.inputs[1]), rank));
  }
  if (in.type == DataType::kInt8 &&
      (in.quant.scale() != out.quant.scale() || in.quant.zero_point() != out.quant.zero_point())) {
    return Status::Error(NodeLabel(node) + ": input and output quantization differ");
  }
  mcunet_pad_params p{};
  std::vector<int32_t> expected(in.shape);
  for (int i = 0; i < 4; ++i) p.in_dims[i] = 1;
  for (int i = 0; i < rank; ++i) {
    int64_t before, after;
    if (pads.type == DataType::kInt32) {
      before = pads.DataAs<int32_t>()[2 * i], after = pads.DataAs<int32_t>()[2 * i + 1];
    } else {
      before = pads.DataAs<int64_t>()[2 * i], after = pads.DataAs<int64_t>()[2 * i + 1];
    }
    if (before < 0 || after < 0 || before + after + in.shape[i] > (1 << 24)) {
      return Status::Error(fmt::format("{}: padding ({}, {}) of dimension {} is invalid",
                                       NodeLabel(node), before, after, i));
    }
    const int d = i + 4 - rank;
    p.in_dims[d] = in.shape[i];
    p.pad_before[d] = static_cast<int32_t>(before), p.pad_after[d] = static_cast<int32_t>(after);
    expected[i] = static_cast<int32_t>(in.shape[i] + before + after);
  }
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  p.element_size = static_cast<int32_t>(DataTypeSize(in.type));
  std::vector<uint8_t> value(p.element_size, 0);
  if (explicit_value) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 2, in.type));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 2));
    if (In(g, node, 2).NumElements() != 1) {
      return Status::Error(NodeLabel(node) + ": constant value must hold one element");
    }
    std::memcpy(value.data(), In(g, node, 2).data.data(), value.size());
  } else if (in.type == DataType::kInt8) {
    value[0] = static_cast<uint8_t>(static_cast<int8_t>(out.quant.zero_point()));
  }
  return std::unique_ptr<PreparedOp>(new Pad(p, std::move(value)));
}

}  // namespace

Status ParseTflitePad(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTflitePad(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                       const Node&) {
  return Options(tflite::BuiltinOptions::PadOptions, tflite::CreatePadOptions(b));
}
Expected<std::unique_ptr<PreparedOp>> PreparePad(const Graph& g, const Node& node) {
  return PreparePadding(g, node, false);
}
int64_t MacsPad(const Graph&, const Node&) { return 0; }

Status ParseTflitePadV2(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTflitePadV2(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                         const Node&) {
  return Options(tflite::BuiltinOptions::PadV2Options, tflite::CreatePadV2Options(b));
}
Expected<std::unique_ptr<PreparedOp>> PreparePadV2(const Graph& g, const Node& node) {
  return PreparePadding(g, node, true);
}
int64_t MacsPadV2(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
