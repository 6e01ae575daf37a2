#include "ops/conv_16x8.h"

#include <fmt/format.h>

#include "ops/in_place.h"
#include "ops/kernel_emit.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

class Conv16x8Op final : public PreparedOp {
 public:
  Conv16x8Op(Conv16x8Kind kind, mcunet_conv_params params, ConvQuant quant)
      : kind_(kind), params_(params), quant_(std::move(quant)) {
    params_.multiplier = quant_.multiplier.data();
    params_.shift = quant_.shift.data();
  }
  int64_t ParameterBytes() const override {
    return static_cast<int64_t>(quant_.multiplier.size() + quant_.shift.size()) * 4;
  }
  // Pixel by pixel: each output pixel is written after its window is read
  // (both kernels), two bytes per element.
  int64_t InPlaceOffset(size_t input) const override {
    if (input != 0) return kNoInPlace;
    return WindowedKernelOffset(params_, 2 * int64_t{params_.in_c}, 2 * int64_t{params_.out_c});
  }
  EmittedCall Emit(const EmitNames& n) const override {
    const bool conv = kind_ == Conv16x8Kind::kConv;
    EmittedCall e;
    e.kernel_file = conv ? "conv_s16.c" : "depthwise_conv_s16.c";
    e.definitions =
        CInt32Array(n.prefix + "_multiplier", quant_.multiplier) +
        CInt32Array(n.prefix + "_shift", quant_.shift) +
        MCUNET_C_PARAMS(MCUNET_CONV_PARAMS_FIELDS, mcunet_conv_params, n.prefix, params_);
    e.call = fmt::format("{}(&{}_params, {}, {}, {}, {})",
                         conv ? "mcunet_conv2d_s16" : "mcunet_depthwise_conv2d_s16", n.prefix,
                         CArg("const int16_t", n.inputs[0]), CArg("const int8_t", n.inputs[1]),
                         CArg("const int64_t", n.inputs.size() > 2 ? n.inputs[2] : "NULL"),
                         CArg("int16_t", n.outputs[0]));
    return e;
  }
  int Run(const OpBuffers& b) const override {
    const auto* input = static_cast<const int16_t*>(b.inputs[0]);
    const auto* filter = static_cast<const int8_t*>(b.inputs[1]);
    const auto* bias = b.inputs.size() > 2 ? static_cast<const int64_t*>(b.inputs[2]) : nullptr;
    auto* output = static_cast<int16_t*>(b.outputs[0]);
    return kind_ == Conv16x8Kind::kConv
               ? mcunet_conv2d_s16(&params_, input, filter, bias, output)
               : mcunet_depthwise_conv2d_s16(&params_, input, filter, bias, output);
  }

 private:
  Conv16x8Kind kind_;
  mcunet_conv_params params_;
  ConvQuant quant_;
};

}  // namespace

Status Check16x8Conv(const Graph& g, const Node& node, const ConvQuant& quant,
                     const std::vector<int64_t>& abs_weight_sums, int bias) {
  for (size_t c = 0; c < quant.multiplier.size(); ++c) {
    if (quant.multiplier[c] < 0 || quant.shift[c] > 7) {
      return Status::Error(fmt::format(
          "{}: output channel {} rescales by {} x 2^{} (input scale x filter scale / output "
          "scale); 16x8 takes a positive factor below 128",
          NodeLabel(node), c, quant.multiplier[c] / 2147483648.0, quant.shift[c]));
    }
  }
  return CheckAccumulatorFits16x8(g, node, abs_weight_sums, bias);
}

std::unique_ptr<PreparedOp> MakeConv16x8Op(Conv16x8Kind kind, mcunet_conv_params params,
                                           ConvQuant quant) {
  return std::make_unique<Conv16x8Op>(kind, params, std::move(quant));
}

}  // namespace mcunet
