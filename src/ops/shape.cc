// SHAPE: the input's static shape as an int32 or int64 vector. Known when the
// model is compiled, so the constant folder (compiler/fold_constants.h) replaces
// it by a constant wherever its output feeds other operators; kept as an op
// only where it is a graph output, where it writes its precomputed bytes.
#include <fmt/format.h>

#include <cstring>

#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class Shape final : public PreparedOp {
 public:
  explicit Shape(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  int64_t ParameterBytes() const override { return static_cast<int64_t>(bytes_.size()); }
  int Run(const OpBuffers& b) const override {
    std::memcpy(b.outputs[0], bytes_.data(), bytes_.size());
    return 0;
  }
  EmittedCall Emit(const EmitNames& n) const override {
    std::vector<int8_t> values(bytes_.begin(), bytes_.end());
    return {"", CInt8Array(n.prefix + "_shape", values),
            fmt::format("(memcpy({}, {}_shape, {}), 0)", n.outputs[0], n.prefix, bytes_.size())};
  }

 private:
  std::vector<uint8_t> bytes_;  // the output's bytes, little-endian as the target's
};

}  // namespace

Status ParseTfliteShape(const tflite::Operator& op, Node* node) {
  // The output tensor's type says int32 or int64; out_type is checked against it.
  (void)op;
  (void)node;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteShape(flatbuffers::FlatBufferBuilder& b, const Graph& g,
                                         const Node& node) {
  return Options(tflite::BuiltinOptions::ShapeOptions,
                 tflite::CreateShapeOptions(b, Out(g, node).type == DataType::kInt64
                                                   ? tflite::TensorType::INT64
                                                   : tflite::TensorType::INT32));
}

Expected<std::unique_ptr<PreparedOp>> PrepareShape(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  if (out.type != DataType::kInt32 && out.type != DataType::kInt64) {
    return Status::Error(fmt::format("{}: output type {} (SHAPE gives int32 or int64)",
                                     NodeLabel(node), DataTypeName(out.type)));
  }
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.outputs[0], {static_cast<int32_t>(in.shape.size())}, "output"));
  std::vector<uint8_t> bytes;
  for (int32_t d : in.shape) {
    const int64_t v = d;
    const size_t size = DataTypeSize(out.type);
    for (size_t k = 0; k < size; ++k) bytes.push_back(static_cast<uint8_t>(v >> (8 * k)));
  }
  return std::unique_ptr<PreparedOp>(new Shape(std::move(bytes)));
}

int64_t MacsShape(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
