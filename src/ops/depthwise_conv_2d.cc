// DEPTHWISE_CONV_2D: int8 NHWC input, int8 per-channel filter [1, k_h, k_w, out_c],
// out_c = in_c * depth_multiplier, optional int32 bias.
#include <fmt/format.h>

#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

class DepthwiseConv2D final : public PreparedOp {
 public:
  DepthwiseConv2D(mcunet_conv_params params, ConvQuant quant)
      : params_(params), quant_(std::move(quant)) {
    params_.multiplier = quant_.multiplier.data();
    params_.shift = quant_.shift.data();
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_depthwise_conv2d_s8(
        &params_, static_cast<const int8_t*>(b.inputs[0]), static_cast<const int8_t*>(b.inputs[1]),
        b.inputs.size() > 2 ? static_cast<const int32_t*>(b.inputs[2]) : nullptr,
        static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_conv_params params_;
  ConvQuant quant_;
};

}  // namespace

Expected<std::unique_ptr<PreparedOp>> PrepareDepthwiseConv2D(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 3, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 1, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8, 4));
  const Tensor& input = In(g, node, 0);
  const Tensor& filter = In(g, node, 1);
  const int32_t out_c = filter.shape[3];
  // TFLite derives the multiplier from the shapes; the stored option is advisory.
  if (filter.shape[0] != 1 || input.shape[3] == 0 || out_c % input.shape[3] != 0) {
    return Status::Error(fmt::format("{}: filter {} does not fit input {}", NodeLabel(node),
                                     filter.ShapeString(), input.ShapeString()));
  }
  MCUNET_ASSIGN_OR_RETURN(ConvQuant quant, PrepareConvQuant(g, node, 3, out_c));
  std::vector<int64_t> abs_sums(out_c, 0);
  for (int64_t i = 0; i < filter.NumElements(); ++i) {
    abs_sums[i % out_c] += std::abs(int{filter.DataAs<int8_t>()[i]});
  }
  MCUNET_RETURN_IF_ERROR(CheckAccumulatorFits(g, node, abs_sums));
  mcunet_conv_params p;
  MCUNET_RETURN_IF_ERROR(FillConvParams(g, node, std::get<ConvAttrs>(node.attrs), filter.shape[1],
                                        filter.shape[2], out_c, &p));
  p.depth_multiplier = out_c / input.shape[3];
  return std::unique_ptr<PreparedOp>(new DepthwiseConv2D(p, std::move(quant)));
}

int64_t MacsDepthwiseConv2D(const Graph& g, const Node& node) {
  const Tensor& filter = In(g, node, 1);
  return Out(g, node).NumElements() * filter.shape[1] * filter.shape[2];
}

}  // namespace mcunet
