// AVERAGE_POOL_2D and MAX_POOL_2D: int8 NHWC, input and output share quantisation.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

using PoolKernel = int (*)(const mcunet_pool_params*, const int8_t*, int8_t*);

class Pool final : public PreparedOp {
 public:
  Pool(mcunet_pool_params p, PoolKernel kernel) : params_(p), kernel_(kernel) {}
  int64_t InPlaceOffset(size_t) const override {
    mcunet_conv_params window{};
    window.batches = params_.batches, window.in_h = params_.in_h, window.in_w = params_.in_w;
    window.out_h = params_.out_h, window.out_w = params_.out_w;
    window.k_h = params_.k_h, window.k_w = params_.k_w;
    window.stride_h = params_.stride_h, window.stride_w = params_.stride_w;
    window.dilation_h = window.dilation_w = 1;
    window.pad_top = params_.pad_top, window.pad_left = params_.pad_left;
    return WindowedKernelOffset(window, params_.channels, params_.channels);
  }
  EmittedCall Emit(const EmitNames& n) const override {
    const bool average = kernel_ == mcunet_avg_pool_s8;
    return {
        "pool_s8.c",
        MCUNET_C_PARAMS(MCUNET_POOL_PARAMS_FIELDS, mcunet_pool_params, n.prefix, params_),
        fmt::format("{}(&{}_params, {}, {})", average ? "mcunet_avg_pool_s8" : "mcunet_max_pool_s8",
                    n.prefix, CArg("const int8_t", n.inputs[0]), CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return kernel_(&params_, static_cast<const int8_t*>(b.inputs[0]),
                   static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_pool_params params_;
  PoolKernel kernel_;
};

Expected<std::unique_ptr<PreparedOp>> PreparePool(const Graph& g, const Node& node,
                                                  PoolKernel kernel) {
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 1, 1));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8, 4));
  MCUNET_RETURN_IF_ERROR(ExpectSameQuant(g, node));
  const Tensor& in = In(g, node, 0);
  const Tensor& out = Out(g, node);
  const auto& a = std::get<PoolAttrs>(node.attrs);
  MCUNET_RETURN_IF_ERROR(CheckWindow(node, a.filter_h, a.filter_w, a.stride_h, a.stride_w, 1, 1));
  // The average sums a clipped window of int8 values in int32.
  if (int64_t{std::min(a.filter_h, in.shape[1])} * std::min(a.filter_w, in.shape[2]) * 128 >
      std::numeric_limits<int32_t>::max()) {
    return Status::Error(NodeLabel(node) + ": window too large for an int32 sum");
  }
  const Padded ph = ComputePadding(a.padding, in.shape[1], a.filter_h, a.stride_h, 1);
  const Padded pw = ComputePadding(a.padding, in.shape[2], a.filter_w, a.stride_w, 1);
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.outputs[0], {in.shape[0], ph.out, pw.out, in.shape[3]}, "output"));
  mcunet_pool_params p{};
  p.batches = in.shape[0], p.in_h = in.shape[1], p.in_w = in.shape[2], p.channels = in.shape[3];
  p.out_h = ph.out, p.out_w = pw.out;
  p.k_h = a.filter_h, p.k_w = a.filter_w, p.stride_h = a.stride_h, p.stride_w = a.stride_w;
  p.pad_top = ph.pad_before, p.pad_left = pw.pad_before;
  const ClampRange range =
      ActivationRangeInt8(a.activation, out.quant.scale(), out.quant.zero_point());
  p.act_min = range.min, p.act_max = range.max;
  return std::unique_ptr<PreparedOp>(new Pool(p, kernel));
}

Status ParseTflitePool(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_Pool2DOptions();
  if (!o) return MissingOptions("Pool2DOptions");
  PoolAttrs a;
  a.padding = PaddingFromTflite(o->padding());
  a.stride_h = o->stride_h(), a.stride_w = o->stride_w();
  a.filter_h = o->filter_height(), a.filter_w = o->filter_width();
  MCUNET_RETURN_IF_ERROR(ActivationFromTflite(o->fused_activation_function(), &a.activation));
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTflitePool(flatbuffers::FlatBufferBuilder& b, const Node& node) {
  const auto& a = std::get<PoolAttrs>(node.attrs);
  MCUNET_ASSIGN_OR_RETURN(tflite::Padding padding, PaddingToTflite(a.padding));
  return Options(tflite::BuiltinOptions::Pool2DOptions,
                 tflite::CreatePool2DOptions(b, padding, a.stride_w, a.stride_h, a.filter_w,
                                             a.filter_h, ActivationToTflite(a.activation)));
}

int64_t PoolMacs(const Graph& g, const Node& node) {
  const auto& a = std::get<PoolAttrs>(node.attrs);
  return Out(g, node).NumElements() * a.filter_h * a.filter_w;
}

}  // namespace

Status ParseTfliteAveragePool2D(const tflite::Operator& op, Node* node) {
  return ParseTflitePool(op, node);
}

Expected<TfliteOptions> WriteTfliteAveragePool2D(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                                 const Node& node) {
  return WriteTflitePool(b, node);
}
Expected<std::unique_ptr<PreparedOp>> PrepareAveragePool2D(const Graph& g, const Node& node) {
  return PreparePool(g, node, mcunet_avg_pool_s8);
}
int64_t MacsAveragePool2D(const Graph& g, const Node& node) { return PoolMacs(g, node); }

Status ParseTfliteMaxPool2D(const tflite::Operator& op, Node* node) {
  return ParseTflitePool(op, node);
}

Expected<TfliteOptions> WriteTfliteMaxPool2D(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                             const Node& node) {
  return WriteTflitePool(b, node);
}
Expected<std::unique_ptr<PreparedOp>> PrepareMaxPool2D(const Graph& g, const Node& node) {
  return PreparePool(g, node, mcunet_max_pool_s8);
}
int64_t MacsMaxPool2D(const Graph& g, const Node& node) { return PoolMacs(g, node); }

}  // namespace mcunet
