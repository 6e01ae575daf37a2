// RESHAPE and SQUEEZE: same bytes, new shape. The output shape comes from the
// model; the element counts must agree. Like TFLite, the bytes are copied as they
// are even where a converter wrote different quantization on the two sides.
#include <fmt/format.h>

#include <cstring>

#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class Copy final : public PreparedOp {
 public:
  explicit Copy(int64_t bytes) : bytes_(bytes) {}
  int64_t InPlaceOffset(size_t input) const override { return input == 0 ? 0 : kNoInPlace; }
  // In place (the usual plan) the copy vanishes; otherwise a memmove.
  EmittedCall Emit(const EmitNames& n) const override {
    if (n.outputs[0] == n.inputs[0]) return {"", "", "0 /* in place: nothing to copy */"};
    return {"", "", fmt::format("(memmove({}, {}, {}), 0)", n.outputs[0], n.inputs[0], bytes_)};
  }
  int Run(const OpBuffers& b) const override {
    if (b.outputs[0] != b.inputs[0]) std::memmove(b.outputs[0], b.inputs[0], bytes_);
    return 0;
  }

 private:
  int64_t bytes_;
};

Expected<std::unique_ptr<PreparedOp>> PrepareCopy(const Graph& g, const Node& node) {
  if (node.inputs.empty() || node.inputs[0] < 0) {
    return Status::Error(NodeLabel(node) + ": input 0 is missing");
  }
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 2, 1));  // RESHAPE may carry a shape tensor
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, in.type));
  if (in.NumElements() != out.NumElements()) {
    return Status::Error(fmt::format("{}: input {} and output {} differ in element count",
                                     NodeLabel(node), in.ShapeString(), out.ShapeString()));
  }
  return std::unique_ptr<PreparedOp>(new Copy(in.Bytes()));
}

}  // namespace

// The new shape is read from the output tensor, not from ReshapeOptions.
Status ParseTfliteReshape(const tflite::Operator&, Node*) { return OkStatus(); }
// The converter's form: the output shape in the options as well as in the tensor.
Expected<TfliteOptions> WriteTfliteReshape(flatbuffers::FlatBufferBuilder& b, const Graph& g,
                                           const Node& node) {
  return Options(tflite::BuiltinOptions::ReshapeOptions,
                 tflite::CreateReshapeOptions(b, b.CreateVector(Out(g, node).shape)));
}
Expected<std::unique_ptr<PreparedOp>> PrepareReshape(const Graph& g, const Node& node) {
  return PrepareCopy(g, node);
}
int64_t MacsReshape(const Graph&, const Node&) { return 0; }

Status ParseTfliteSqueeze(const tflite::Operator&, Node*) { return OkStatus(); }
// The size-1 dimensions of the input that the output drops.
Expected<TfliteOptions> WriteTfliteSqueeze(flatbuffers::FlatBufferBuilder& b, const Graph& g,
                                           const Node& node) {
  const std::vector<int32_t>& in = In(g, node, 0).shape;
  const std::vector<int32_t>& out = Out(g, node).shape;
  // Earliest matching of the output's dimensions in the input's: what is left over
  // is what the squeeze dropped.
  std::vector<int32_t> dims;
  for (size_t i = 0, o = 0; i < in.size(); ++i) {
    if (o < out.size() && in[i] == out[o]) {
      ++o;
    } else {
      dims.push_back(static_cast<int32_t>(i));
    }
  }
  return Options(tflite::BuiltinOptions::SqueezeOptions,
                 tflite::CreateSqueezeOptions(b, b.CreateVector(dims)));
}
Expected<std::unique_ptr<PreparedOp>> PrepareSqueeze(const Graph& g, const Node& node) {
  return PrepareCopy(g, node);
}
int64_t MacsSqueeze(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
