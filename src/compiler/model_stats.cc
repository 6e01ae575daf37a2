#include "compiler/model_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "ir/padding.h"

namespace mcunet {
namespace {

// The function the layer's generated call starts with: a kernel, or memmove for
// a copy; "" when the call does nothing (an alias the plan made free).
std::string KernelName(const CompiledModel& model, size_t s) {
  const Node& node = model.graph.nodes[s];
  // Arena offsets as the pointer names, so an op sees whether its output aliases its input.
  const auto name = [&](int t) {
    if (t < 0) return std::string("NULL");
    if (model.graph.tensors[t].is_constant) return fmt::format("constant{}", t);
    return fmt::format("(arena + {})", model.TensorOffset(t));
  };
  EmitNames names;
  names.prefix = "l";
  for (int t : node.inputs) names.inputs.push_back(name(t));
  for (int t : node.outputs) names.outputs.push_back(name(t));
  const std::string call = model.op(s).Emit(names).call;
  const size_t begin = call.find_first_not_of("( ");
  const size_t end = call.find_first_not_of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", begin);
  const std::string id = begin == std::string::npos ? "" : call.substr(begin, end - begin);
  return id.empty() || std::isdigit(static_cast<unsigned char>(id[0])) ? "" : id;
}

// Window taps inside the input along one axis, summed over the outputs.
int64_t InsideTaps(const Padded& p, int32_t in, int32_t k, int32_t stride, int32_t dilation) {
  int64_t taps = 0;
  for (int32_t o = 0; o < p.out; ++o) {
    for (int32_t t = 0; t < k; ++t) {
      const int32_t i = o * stride - p.pad_before + t * dilation;
      taps += i >= 0 && i < in;
    }
  }
  return taps;
}

int64_t InsideMacs(const Graph& g, const Node& node, int64_t macs) {
  if (node.kind != OpKind::kConv2D && node.kind != OpKind::kDepthwiseConv2D) return macs;
  const auto& a = std::get<ConvAttrs>(node.attrs);
  const Tensor& in = g.tensors[node.inputs[0]];
  const Tensor& filter = g.tensors[node.inputs[1]];
  if (in.shape.size() != 4 || filter.shape.size() != 4) return macs;
  const int32_t k_h = filter.shape[1], k_w = filter.shape[2];
  const Padded ph = ComputePadding(a.padding, in.shape[1], k_h, a.stride_h, a.dilation_h, a.pad_top,
                                   a.pad_bottom);
  const Padded pw = ComputePadding(a.padding, in.shape[2], k_w, a.stride_w, a.dilation_w,
                                   a.pad_left, a.pad_right);
  const int64_t all = int64_t{ph.out} * k_h * pw.out * k_w;
  if (all == 0) return macs;
  const int64_t inside = InsideTaps(ph, in.shape[1], k_h, a.stride_h, a.dilation_h) *
                         InsideTaps(pw, in.shape[2], k_w, a.stride_w, a.dilation_w);
  return static_cast<int64_t>(static_cast<double>(macs) * static_cast<double>(inside) /
                              static_cast<double>(all));
}

}  // namespace

ModelStats ComputeModelStats(const CompiledModel& model) {
  const Graph& g = model.graph;
  const MemoryPlan& mp = model.memory;
  const std::vector<int64_t> live = mp.LiveBytesPerStep(mp.plan);
  const std::vector<int64_t> baseline_live = mp.LiveBytesPerStep(mp.baseline, /*copying=*/true);
  // Which tensor each planned buffer holds (-1: scratch), for the live lists.
  std::vector<int> buffer_tensor(mp.requests.size(), -1);
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (mp.request_of_tensor[t] >= 0) buffer_tensor[mp.request_of_tensor[t]] = static_cast<int>(t);
  }
  ModelStats stats;
  for (size_t s = 0; s < g.nodes.size(); ++s) {
    const Node& node = g.nodes[s];
    LayerStats layer;
    layer.index = node.index;
    layer.op = OpKindName(node.kind);
    layer.macs = GetOpDefinition(node.kind).macs(g, node);
    layer.inside_macs = InsideMacs(g, node, layer.macs);
    layer.scratch_bytes = model.op(s).ScratchBytes();
    layer.kernel = KernelName(model, s);
    // A kernel's variants cost differently: the cost model keys on "name:variant".
    const std::string variant = model.op(s).KernelVariant();
    if (!layer.kernel.empty() && !variant.empty()) layer.kernel += ":" + variant;
    for (int index : node.inputs) {
      if (index < 0) continue;
      const Tensor& t = g.tensors[index];
      if (t.is_constant) {
        layer.weight_bytes += t.Bytes();
      } else {
        layer.input_shapes.push_back(t.ShapeString());
        layer.input_elements += t.NumElements();
        if (layer.input_channels == 0) layer.input_channels = t.shape.empty() ? 1 : t.shape.back();
        layer.activation_bytes += t.Bytes();
      }
    }
    for (int index : node.outputs) layer.activation_bytes += g.tensors[index].Bytes();
    const Tensor& out = g.tensors[node.outputs[0]];
    layer.output_shape = out.ShapeString();
    layer.output_elements = out.NumElements();
    layer.output_pixels = out.shape.empty() || out.shape.back() == 0
                              ? out.NumElements()
                              : out.NumElements() / out.shape.back();
    if (s < live.size()) layer.live_bytes = live[s], layer.baseline_live_bytes = baseline_live[s];
    for (size_t r = 0; r < mp.requests.size(); ++r) {
      const BufferRequest& req = mp.requests[r];
      if (req.first_step <= static_cast<int>(s) && static_cast<int>(s) <= req.last_step) {
        layer.live.push_back({buffer_tensor[r], req.size});
      }
    }
    stats.layers.push_back(std::move(layer));
  }
  stats.macs = model.totals.macs;
  stats.params = model.totals.params;
  stats.weights_bytes = model.totals.weights_bytes;
  stats.flash_bytes = model.totals.flash_bytes;
  stats.peak_sram_bytes = model.totals.peak_sram_bytes;
  stats.baseline_sram_bytes = mp.baseline.arena_bytes;
  stats.lower_bound_bytes = mp.lower_bound;
  for (size_t i = 0; i < stats.layers.size(); ++i) {
    if (stats.layers[i].live_bytes > stats.layers[stats.peak_layer].live_bytes) {
      stats.peak_layer = static_cast<int>(i);
    }
  }
  return stats;
}

}  // namespace mcunet
