// QUANTIZE (float32 -> int8, or int8 -> int8 requantisation) and DEQUANTIZE
// (int8 -> float32): the conversions at the edges of float-I/O models.
#include <fmt/format.h>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

class QuantizeFloat final : public PreparedOp {
 public:
  explicit QuantizeFloat(mcunet_affine_params p) : params_(p) {}
  // Byte i is written after float i (bytes 4i..4i+3) is read.
  int64_t InPlaceOffset(size_t) const override { return 0; }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"quantize.c",
            MCUNET_C_PARAMS(MCUNET_AFFINE_PARAMS_FIELDS, mcunet_affine_params, n.prefix, params_),
            fmt::format("mcunet_quantize_f32_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const float", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_quantize_f32_s8(&params_, static_cast<const float*>(b.inputs[0]),
                                  static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_affine_params params_;
};

class Requantize final : public PreparedOp {
 public:
  explicit Requantize(mcunet_requantize_params p) : params_(p) {}
  int64_t InPlaceOffset(size_t) const override { return 0; }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"quantize.c",
            MCUNET_C_PARAMS(MCUNET_REQUANTIZE_PARAMS_FIELDS, mcunet_requantize_params, n.prefix,
                            params_),
            fmt::format("mcunet_requantize_s8(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_requantize_s8(&params_, static_cast<const int8_t*>(b.inputs[0]),
                                static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_requantize_params params_;
};

class Dequantize final : public PreparedOp {
 public:
  explicit Dequantize(mcunet_affine_params p) : params_(p) {}
  EmittedCall Emit(const EmitNames& n) const override {
    return {"quantize.c",
            MCUNET_C_PARAMS(MCUNET_AFFINE_PARAMS_FIELDS, mcunet_affine_params, n.prefix, params_),
            fmt::format("mcunet_dequantize_s8_f32(&{}_params, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("float", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_dequantize_s8_f32(&params_, static_cast<const int8_t*>(b.inputs[0]),
                                    static_cast<float*>(b.outputs[0]));
  }

 private:
  mcunet_affine_params params_;
};

Status ExpectSameShape(const Graph& g, const Node& node) {
  return ExpectShape(g, node, node.outputs[0], In(g, node, 0).shape, "output");
}

}  // namespace

Status ParseTfliteQuantize(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTfliteQuantize(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                            const Node&) {
  return Options(tflite::BuiltinOptions::QuantizeOptions, tflite::CreateQuantizeOptions(b));
}
Expected<std::unique_ptr<PreparedOp>> PrepareQuantize(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  MCUNET_RETURN_IF_ERROR(ExpectSameShape(g, node));
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  const int32_t count = static_cast<int32_t>(in.NumElements());
  if (in.type == DataType::kFloat32) {
    return std::unique_ptr<PreparedOp>(
        new QuantizeFloat({count, out.quant.zero_point(), out.quant.scale()}));
  }
  if (in.type == DataType::kInt8) {
    MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
    const QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in.quant.scale()) /
                                                     static_cast<double>(out.quant.scale()));
    return std::unique_ptr<PreparedOp>(new Requantize(
        {count, -in.quant.zero_point(), out.quant.zero_point(), m.multiplier, m.shift}));
  }
  return Status::Error(fmt::format("{}: input type {} not supported (float32, int8)",
                                   NodeLabel(node), DataTypeName(in.type)));
}
int64_t MacsQuantize(const Graph&, const Node&) { return 0; }

Status ParseTfliteDequantize(const tflite::Operator&, Node*) { return OkStatus(); }
Expected<TfliteOptions> WriteTfliteDequantize(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                              const Node&) {
  return Options(tflite::BuiltinOptions::DequantizeOptions, tflite::CreateDequantizeOptions(b));
}
Expected<std::unique_ptr<PreparedOp>> PrepareDequantize(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kFloat32));
  MCUNET_RETURN_IF_ERROR(ExpectSameShape(g, node));
  const Tensor& in = In(g, node, 0);
  return std::unique_ptr<PreparedOp>(new Dequantize(
      {static_cast<int32_t>(in.NumElements()), in.quant.zero_point(), in.quant.scale()}));
}
int64_t MacsDequantize(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
