#include "ops/op_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace mcunet {

Status ExpectArity(const Node& node, size_t min_inputs, size_t max_inputs, size_t outputs) {
  if (node.inputs.size() < min_inputs || node.inputs.size() > max_inputs) {
    return Status::Error(
        fmt::format("{}: has {} inputs, expected {}", NodeLabel(node), node.inputs.size(),
                    min_inputs == max_inputs ? std::to_string(min_inputs)
                                             : fmt::format("{} to {}", min_inputs, max_inputs)));
  }
  if (node.outputs.size() != outputs) {
    return Status::Error(fmt::format("{}: has {} outputs, expected {}", NodeLabel(node),
                                     node.outputs.size(), outputs));
  }
  // TFLite marks an omitted optional input with index -1; only inputs past the
  // required ones may be omitted, and each op checks those itself.
  for (size_t i = 0; i < min_inputs; ++i) {
    if (node.inputs[i] < 0) {
      return Status::Error(
          fmt::format("{}: required input {} is omitted (tensor index -1)", NodeLabel(node), i));
    }
  }
  return OkStatus();
}

static Status ExpectTensor(const Graph& g, const Node& node, int index, const char* role, size_t i,
                           DataType type, int rank) {
  if (index < 0) {
    return Status::Error(fmt::format("{}: {} {} is missing", NodeLabel(node), role, i));
  }
  const Tensor& t = g.tensors[index];
  if (t.type != type) {
    return Status::Error(fmt::format("{}: {} {} ({}) is {}, expected {}", NodeLabel(node), role, i,
                                     TensorLabel(g, index), DataTypeName(t.type),
                                     DataTypeName(type)));
  }
  if (rank >= 0 && static_cast<int>(t.shape.size()) != rank) {
    return Status::Error(fmt::format("{}: {} {} ({}) has rank {} (shape {}), expected rank {}",
                                     NodeLabel(node), role, i, TensorLabel(g, index),
                                     t.shape.size(), t.ShapeString(), rank));
  }
  return OkStatus();
}

Status ExpectInput(const Graph& g, const Node& node, size_t i, DataType type, int rank) {
  return ExpectTensor(g, node, node.inputs[i], "input", i, type, rank);
}

Status ExpectOutput(const Graph& g, const Node& node, size_t i, DataType type, int rank) {
  return ExpectTensor(g, node, node.outputs[i], "output", i, type, rank);
}

Status ExpectConstant(const Graph& g, const Node& node, size_t i) {
  const int index = node.inputs[i];
  if (index < 0 || !g.tensors[index].is_constant) {
    return Status::Error(fmt::format("{}: input {} ({}) must be a constant", NodeLabel(node), i,
                                     TensorLabel(g, index)));
  }
  return OkStatus();
}

Status ExpectPerTensorQuant(const Graph& g, const Node& node, int tensor, const char* role) {
  const Tensor& t = g.tensors[tensor];
  if (t.quant.scales.size() != 1) {
    return Status::Error(fmt::format("{}: {} ({}) needs per-tensor quantization, has {} scales",
                                     NodeLabel(node), role, TensorLabel(g, tensor),
                                     t.quant.scales.size()));
  }
  return OkStatus();
}

Status ExpectSameQuant(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const Tensor& in = g.tensors[node.inputs[0]];
  const Tensor& out = g.tensors[node.outputs[0]];
  if (in.quant.scale() != out.quant.scale() || in.quant.zero_point() != out.quant.zero_point()) {
    return Status::Error(fmt::format(
        "{}: input and output quantization differ ({} / {} vs {} / {}); the op keeps raw values",
        NodeLabel(node), in.quant.scale(), in.quant.zero_point(), out.quant.scale(),
        out.quant.zero_point()));
  }
  return OkStatus();
}

Status ExpectShape(const Graph& g, const Node& node, int tensor, const std::vector<int32_t>& shape,
                   const char* role) {
  const Tensor& t = g.tensors[tensor];
  if (t.shape != shape) {
    return Status::Error(fmt::format("{}: {} ({}) has shape {}, expected {}", NodeLabel(node), role,
                                     TensorLabel(g, tensor), t.ShapeString(),
                                     ShapeToString(shape)));
  }
  return OkStatus();
}

const Tensor& In(const Graph& g, const Node& node, size_t i) { return g.tensors[node.inputs[i]]; }
const Tensor& Out(const Graph& g, const Node& node, size_t i) { return g.tensors[node.outputs[i]]; }

Status CheckWindow(const Node& node, int32_t k_h, int32_t k_w, int32_t stride_h, int32_t stride_w,
                   int32_t dilation_h, int32_t dilation_w) {
  constexpr int32_t kMax = 1 << 16;
  for (int32_t v : {k_h, k_w, stride_h, stride_w, dilation_h, dilation_w}) {
    if (v < 1 || v > kMax) {
      return Status::Error(
          fmt::format("{}: window {}x{}, strides {}x{}, dilations {}x{}: each must be "
                      "in 1..{}",
                      NodeLabel(node), k_h, k_w, stride_h, stride_w, dilation_h, dilation_w, kMax));
    }
  }
  if (int64_t{k_h - 1} * dilation_h + 1 > (1 << 20) ||
      int64_t{k_w - 1} * dilation_w + 1 > (1 << 20)) {
    return Status::Error(NodeLabel(node) + ": dilated window exceeds 2^20");
  }
  return OkStatus();
}

Status CheckAccumulatorFits(const Graph& g, const Node& node,
                            const std::vector<int64_t>& abs_weight_sums) {
  const int32_t* bias = nullptr;
  // Shape-only graphs (planning without weights) have no data to check.
  if (node.inputs.size() > 2 && node.inputs[2] >= 0 && !In(g, node, 2).data.empty()) {
    bias = In(g, node, 2).DataAs<int32_t>();
  }
  for (size_t c = 0; c < abs_weight_sums.size(); ++c) {
    const int64_t bound = 255 * abs_weight_sums[c] + (bias ? std::abs(int64_t{bias[c]}) : 0);
    if (bound > std::numeric_limits<int32_t>::max()) {
      return Status::Error(
          fmt::format("{}: output channel {} could overflow the int32 accumulator "
                      "(worst case {})",
                      NodeLabel(node), c, bound));
    }
  }
  return OkStatus();
}

Status CheckAccumulatorFits16x8(const Graph& g, const Node& node,
                                const std::vector<int64_t>& abs_weight_sums, int bias_input) {
  constexpr int64_t kLimit = int64_t{1} << 47;
  const int64_t* bias = nullptr;
  if (node.inputs.size() > static_cast<size_t>(bias_input) && node.inputs[bias_input] >= 0 &&
      !In(g, node, bias_input).data.empty()) {
    bias = In(g, node, bias_input).DataAs<int64_t>();
  }
  for (size_t c = 0; c < abs_weight_sums.size(); ++c) {
    const int64_t b = bias ? bias[c] : 0;
    // The bias is checked alone first, so that its magnitude cannot overflow.
    const bool fits =
        b > -kLimit && b < kLimit && 32768 * abs_weight_sums[c] + (b < 0 ? -b : b) < kLimit;
    if (!fits) {
      return Status::Error(
          fmt::format("{}: output channel {} could leave the int64 accumulator's range of "
                      "+-2^47 (weights' sum of magnitudes {}, bias {})",
                      NodeLabel(node), c, abs_weight_sums[c], b));
    }
  }
  return OkStatus();
}

std::string ShapeToString(const std::vector<int32_t>& shape) {
  Tensor t;
  t.shape = shape;
  return t.ShapeString();
}

}  // namespace mcunet
