// RESHAPE, SQUEEZE and EXPAND_DIMS: same bytes, new shape. The output shape comes from the
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

// EXPAND_DIMS: the same bytes with a dimension of 1 inserted at `axis` (a
// constant int32 or int64 scalar; negative counts from the end, rank + 1
// positions). How Keras writes Conv1D: EXPAND_DIMS -> CONV_2D -> SQUEEZE.
Status ParseTfliteExpandDims(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTfliteExpandDims(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                              const Node&) {
  return Options(tflite::BuiltinOptions::ExpandDimsOptions, tflite::CreateExpandDimsOptions(b));
}
Expected<std::unique_ptr<PreparedOp>> PrepareExpandDims(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  const Tensor& axis_tensor = In(g, node, 1);
  if (axis_tensor.NumElements() != 1 ||
      (axis_tensor.type != DataType::kInt32 && axis_tensor.type != DataType::kInt64)) {
    return Status::Error(fmt::format("{}: axis must be one int32 or int64 value, is {} {}",
                                     NodeLabel(node), DataTypeName(axis_tensor.type),
                                     axis_tensor.ShapeString()));
  }
  const int64_t axis_value = axis_tensor.type == DataType::kInt32
                                 ? int64_t{axis_tensor.DataAs<int32_t>()[0]}
                                 : axis_tensor.DataAs<int64_t>()[0];
  std::vector<int32_t> expected = In(g, node, 0).shape;
  const int64_t rank = static_cast<int64_t>(expected.size());
  const int64_t axis = axis_value < 0 ? axis_value + rank + 1 : axis_value;
  if (axis < 0 || axis > rank) {
    return Status::Error(
        fmt::format("{}: axis {} out of range for rank {}", NodeLabel(node), axis_value, rank));
  }
  expected.insert(expected.begin() + axis, 1);
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  return PrepareCopy(g, node);
}
int64_t MacsExpandDims(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
