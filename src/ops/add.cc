// ADD: int8 + int8 -> int8 with NumPy broadcasting up to rank 4.
#include <fmt/format.h>

#include <algorithm>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

class Add final : public PreparedOp {
 public:
  explicit Add(mcunet_add_params p) : params_(p) {}
  // Element i is written after both inputs' element i are read: an input that is
  // not broadcast may be overwritten in place.
  int64_t InPlaceOffset(size_t input) const override {
    const int32_t* strides = input == 0 ? params_.in1_strides : params_.in2_strides;
    int32_t dense = 1;
    for (int d = 3; d >= 0; --d) {
      if (params_.out_dims[d] > 1 && strides[d] != dense) return kNoInPlace;
      dense *= params_.out_dims[d];
    }
    return 0;
  }
  EmittedCall Emit(const EmitNames& n) const override {
    return {"add_s8.c", CAddParams(n.prefix + "_params", params_),
            fmt::format("mcunet_add_s8(&{}_params, {}, {}, {})", n.prefix,
                        CArg("const int8_t", n.inputs[0]), CArg("const int8_t", n.inputs[1]),
                        CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return mcunet_add_s8(&params_, static_cast<const int8_t*>(b.inputs[0]),
                         static_cast<const int8_t*>(b.inputs[1]),
                         static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_add_params params_;
};

std::vector<int32_t> Extend4(const std::vector<int32_t>& shape) {
  std::vector<int32_t> r(4 - shape.size(), 1);
  r.insert(r.end(), shape.begin(), shape.end());
  return r;
}

// Row-major strides of `in` read at output coordinates; 0 where `in` broadcasts.
void BroadcastStrides(const std::vector<int32_t>& in, int32_t* strides) {
  int32_t stride = 1;
  for (int i = 3; i >= 0; --i) {
    strides[i] = in[i] == 1 ? 0 : stride;
    stride *= in[i];
  }
}

}  // namespace

Expected<std::unique_ptr<PreparedOp>> PrepareAdd(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  for (size_t i = 0; i < 2; ++i) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, i, DataType::kInt8));
    MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[i], "input"));
  }
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& a = In(g, node, 0);
  const Tensor& b = In(g, node, 1);
  const Tensor& out = Out(g, node);
  if (a.shape.size() > 4 || b.shape.size() > 4) {
    return Status::Error(NodeLabel(node) + ": inputs of rank above 4 are not supported");
  }
  const std::vector<int32_t> a4 = Extend4(a.shape), b4 = Extend4(b.shape);
  std::vector<int32_t> out4(4);
  for (int i = 0; i < 4; ++i) {
    if (a4[i] != b4[i] && a4[i] != 1 && b4[i] != 1) {
      return Status::Error(fmt::format("{}: shapes {} and {} do not broadcast", NodeLabel(node),
                                       a.ShapeString(), b.ShapeString()));
    }
    out4[i] = a4[i] == 1 ? b4[i] : a4[i];
  }
  std::vector<int32_t> expected(out4.end() - std::max(a.shape.size(), b.shape.size()), out4.end());
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));

  mcunet_add_params p{};
  std::copy(out4.begin(), out4.end(), p.out_dims);
  BroadcastStrides(a4, p.in1_strides);
  BroadcastStrides(b4, p.in2_strides);
  p.input1_offset = -a.quant.zero_point();
  p.input2_offset = -b.quant.zero_point();
  p.output_offset = out.quant.zero_point();
  p.left_shift = 20;  // TFLite's headroom for int8 ADD
  const double twice_max_input_scale =
      2 * static_cast<double>(std::max(a.quant.scale(), b.quant.scale()));
  const QuantizedMultiplier m1 = QuantizeMultiplier(a.quant.scale() / twice_max_input_scale);
  const QuantizedMultiplier m2 = QuantizeMultiplier(b.quant.scale() / twice_max_input_scale);
  const QuantizedMultiplier mo = QuantizeMultiplier(
      twice_max_input_scale / ((1 << p.left_shift) * static_cast<double>(out.quant.scale())));
  p.input1_multiplier = m1.multiplier, p.input1_shift = m1.shift;
  p.input2_multiplier = m2.multiplier, p.input2_shift = m2.shift;
  p.output_multiplier = mo.multiplier, p.output_shift = mo.shift;
  if (p.input1_shift > 0 || p.input2_shift > 0 || p.output_shift > 0) {
    return Status::Error(
        fmt::format("{}: scales give a rescale factor above one "
                    "(input scales {} and {}, output scale {})",
                    NodeLabel(node), a.quant.scale(), b.quant.scale(), out.quant.scale()));
  }
  const auto& attrs = std::get<ElementwiseAttrs>(node.attrs);
  const ClampRange range =
      ActivationRangeInt8(attrs.activation, out.quant.scale(), out.quant.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  return std::unique_ptr<PreparedOp>(new Add(p));
}

int64_t MacsAdd(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
