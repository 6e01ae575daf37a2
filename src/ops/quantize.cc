// QUANTIZE (float32 -> int8, or requantisation between int8 and int16 in any
// direction) and DEQUANTIZE (int8 -> float32): the conversions at the edges of
// float-I/O and 16x8 models.
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

// Between int8 and int16 in either direction, or within one type: TFLite's
// reference Requantize.
class Requantize final : public PreparedOp {
 public:
  Requantize(mcunet_requantize_params p, DataType in, DataType out)
      : params_(p), in_(in), out_(out) {}
  // Element by element, each read before it is written: in place at 0 unless
  // the output is wider, then below the input by its element count
  // (kernels/quantize.c).
  int64_t InPlaceOffset(size_t) const override {
    return in_ == DataType::kInt8 && out_ == DataType::kInt16 ? params_.count : 0;
  }
  EmittedCall Emit(const EmitNames& n) const override {
    return {
        "quantize.c",
        MCUNET_C_PARAMS(MCUNET_REQUANTIZE_PARAMS_FIELDS, mcunet_requantize_params, n.prefix,
                        params_),
        fmt::format("{}(&{}_params, {}, {})", KernelName(), n.prefix,
                    CArg(CType(in_, true), n.inputs[0]), CArg(CType(out_, false), n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    const void* in = b.inputs[0];
    void* out = b.outputs[0];
    if (in_ == DataType::kInt8 && out_ == DataType::kInt8) {
      return mcunet_requantize_s8(&params_, static_cast<const int8_t*>(in),
                                  static_cast<int8_t*>(out));
    }
    if (in_ == DataType::kInt8) {
      return mcunet_requantize_s8_s16(&params_, static_cast<const int8_t*>(in),
                                      static_cast<int16_t*>(out));
    }
    if (out_ == DataType::kInt8) {
      return mcunet_requantize_s16_s8(&params_, static_cast<const int16_t*>(in),
                                      static_cast<int8_t*>(out));
    }
    return mcunet_requantize_s16_s16(&params_, static_cast<const int16_t*>(in),
                                     static_cast<int16_t*>(out));
  }

 private:
  std::string KernelName() const {
    if (in_ == DataType::kInt8 && out_ == DataType::kInt8) return "mcunet_requantize_s8";
    return fmt::format("mcunet_requantize_{}_{}", in_ == DataType::kInt8 ? "s8" : "s16",
                       out_ == DataType::kInt8 ? "s8" : "s16");
  }
  static std::string CType(DataType t, bool is_const) {
    return std::string(is_const ? "const " : "") + (t == DataType::kInt8 ? "int8_t" : "int16_t");
  }
  mcunet_requantize_params params_;
  DataType in_, out_;
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
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  const bool int_in = in.type == DataType::kInt8 || in.type == DataType::kInt16;
  const bool int_out = out.type == DataType::kInt8 || out.type == DataType::kInt16;
  if (!(in.type == DataType::kFloat32 && out.type == DataType::kInt8) && !(int_in && int_out)) {
    return Status::Error(
        fmt::format("{}: {} -> {} not supported (float32 -> int8, int8 or int16 -> int8 or int16)",
                    NodeLabel(node), DataTypeName(in.type), DataTypeName(out.type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  MCUNET_RETURN_IF_ERROR(ExpectSameShape(g, node));
  const int32_t count = static_cast<int32_t>(in.NumElements());
  if (in.type == DataType::kFloat32) {
    return std::unique_ptr<PreparedOp>(
        new QuantizeFloat({count, out.quant.zero_point(), out.quant.scale()}));
  }
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  const QuantizedMultiplier m = QuantizeMultiplier(static_cast<double>(in.quant.scale()) /
                                                   static_cast<double>(out.quant.scale()));
  return std::unique_ptr<PreparedOp>(
      new Requantize({count, -in.quant.zero_point(), out.quant.zero_point(), m.multiplier, m.shift},
                     in.type, out.type));
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
