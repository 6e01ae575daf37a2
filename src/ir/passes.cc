#include "ir/passes.h"

#include <algorithm>
#include <cstring>
#include <variant>

#include "ir/padding.h"

namespace mcunet {
namespace {

// Index of the only node reading `tensor`, or -1 (none, several, or a graph output).
int SoleConsumer(const Graph& g, int tensor) {
  for (int o : g.outputs) {
    if (o == tensor) return -1;
  }
  int consumer = -1;
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    for (int in : g.nodes[n].inputs) {
      if (in != tensor) continue;
      if (consumer != -1 && consumer != static_cast<int>(n)) return -1;
      consumer = static_cast<int>(n);
    }
  }
  return consumer;
}

// The [rank, 2] paddings of a PAD node as int64, or false when not readable.
bool ReadPaddings(const Tensor& t, std::vector<int64_t>* pads) {
  if (!t.is_constant || t.shape.size() != 2 || t.shape[1] != 2) return false;
  const int64_t n = t.NumElements();
  pads->resize(n);
  for (int64_t i = 0; i < n; ++i) {
    if (t.type == DataType::kInt32)
      (*pads)[i] = t.DataAs<int32_t>()[i];
    else if (t.type == DataType::kInt64)
      (*pads)[i] = t.DataAs<int64_t>()[i];
    else
      return false;
  }
  return true;
}

bool FoldOne(Graph& g, size_t pad_node) {
  const Node& pad = g.nodes[pad_node];
  if (pad.inputs.size() < 2 || pad.outputs.size() != 1 || pad.inputs[0] < 0 || pad.inputs[1] < 0) {
    return false;
  }
  const Tensor& in = g.tensors[pad.inputs[0]];
  const Tensor& out = g.tensors[pad.outputs[0]];
  if (in.type != DataType::kInt8 || out.type != DataType::kInt8 || in.shape.size() != 4 ||
      out.shape.size() != 4 || in.quant.scales != out.quant.scales ||
      in.quant.zero_points != out.quant.zero_points || out.quant.scales.size() != 1) {
    return false;
  }
  if (pad.kind == OpKind::kPadV2) {  // only a fill value equal to the zero point folds
    if (pad.inputs.size() != 3 || pad.inputs[2] < 0) return false;
    const Tensor& value = g.tensors[pad.inputs[2]];
    if (!value.is_constant || value.type != DataType::kInt8 || value.NumElements() != 1 ||
        value.DataAs<int8_t>()[0] != out.quant.zero_point()) {
      return false;
    }
  }
  std::vector<int64_t> p;
  if (!ReadPaddings(g.tensors[pad.inputs[1]], &p) || p.size() != 8) return false;
  if (p[0] || p[1] || p[6] || p[7]) return false;  // batch and channel pads do not fold
  for (int i = 2; i < 6; ++i) {
    if (p[i] < 0 || p[i] > (1 << 16)) return false;
  }
  const int consumer = SoleConsumer(g, pad.outputs[0]);
  if (consumer < 0) return false;
  Node& conv = g.nodes[consumer];
  if ((conv.kind != OpKind::kConv2D && conv.kind != OpKind::kDepthwiseConv2D) ||
      conv.inputs.size() < 2 || conv.inputs[0] != pad.outputs[0] || conv.inputs[1] < 0) {
    return false;
  }
  auto* attrs = std::get_if<ConvAttrs>(&conv.attrs);
  const Tensor& filter = g.tensors[conv.inputs[1]];
  if (!attrs || filter.shape.size() != 4 || attrs->stride_h < 1 || attrs->stride_w < 1 ||
      attrs->dilation_h < 1 || attrs->dilation_w < 1) {
    return false;
  }
  // The convolution's own padding on the padded tensor, added to the PAD's.
  const Padded h = ComputePadding(attrs->padding, out.shape[1], filter.shape[1], attrs->stride_h,
                                  attrs->dilation_h, attrs->pad_top, attrs->pad_bottom);
  const Padded w = ComputePadding(attrs->padding, out.shape[2], filter.shape[2], attrs->stride_w,
                                  attrs->dilation_w, attrs->pad_left, attrs->pad_right);
  ConvAttrs folded = *attrs;
  folded.padding = Padding::kExplicit;
  folded.pad_top = static_cast<int32_t>(p[2] + h.pad_before);
  folded.pad_bottom = static_cast<int32_t>(p[3] + h.pad_after);
  folded.pad_left = static_cast<int32_t>(p[4] + w.pad_before);
  folded.pad_right = static_cast<int32_t>(p[5] + w.pad_after);
  const Padded fh =
      ComputePadding(Padding::kExplicit, in.shape[1], filter.shape[1], attrs->stride_h,
                     attrs->dilation_h, folded.pad_top, folded.pad_bottom);
  const Padded fw =
      ComputePadding(Padding::kExplicit, in.shape[2], filter.shape[2], attrs->stride_w,
                     attrs->dilation_w, folded.pad_left, folded.pad_right);
  if (fh.out != h.out || fw.out != w.out) return false;  // same output grid or no fold
  *attrs = folded;
  conv.inputs[0] = pad.inputs[0];
  g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(pad_node));
  return true;
}

}  // namespace

int FoldPadIntoConvolutions(Graph& graph) {
  int folded = 0;
  for (size_t n = 0; n < graph.nodes.size();) {
    const OpKind kind = graph.nodes[n].kind;
    if ((kind == OpKind::kPad || kind == OpKind::kPadV2) && FoldOne(graph, n)) {
      ++folded;  // the node at n is gone; look at the next one in its place
    } else {
      ++n;
    }
  }
  return folded;
}

int DropIdentityQuantize(Graph& graph) {
  int dropped = 0;
  for (size_t n = 0; n < graph.nodes.size();) {
    const Node& node = graph.nodes[n];
    bool drop = node.kind == OpKind::kQuantize && node.inputs.size() == 1 &&
                node.outputs.size() == 1 && node.inputs[0] >= 0;
    if (drop) {
      const Tensor& in = graph.tensors[node.inputs[0]];
      const Tensor& out = graph.tensors[node.outputs[0]];
      drop = in.type == DataType::kInt8 && out.type == DataType::kInt8 && in.shape == out.shape &&
             in.quant.scales == out.quant.scales && in.quant.zero_points == out.quant.zero_points &&
             std::find(graph.outputs.begin(), graph.outputs.end(), node.outputs[0]) ==
                 graph.outputs.end();
    }
    if (!drop) {
      ++n;
      continue;
    }
    const int from = node.outputs[0], to = node.inputs[0];
    for (Node& reader : graph.nodes) {
      std::replace(reader.inputs.begin(), reader.inputs.end(), from, to);
    }
    graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(n));
    ++dropped;
  }
  return dropped;
}

int DepthwiseOverOneChannelToConv(Graph& graph) {
  int rewritten = 0;
  for (Node& node : graph.nodes) {
    if (node.kind != OpKind::kDepthwiseConv2D || node.inputs.size() < 2 || node.inputs[0] < 0 ||
        node.inputs[1] < 0 || !std::holds_alternative<ConvAttrs>(node.attrs)) {
      continue;
    }
    const Tensor& input = graph.tensors[node.inputs[0]];
    const Tensor& filter = graph.tensors[node.inputs[1]];
    const bool rewritable = input.shape.size() == 4 && input.shape[3] == 1 &&
                            filter.is_constant && filter.type == DataType::kInt8 &&
                            filter.shape.size() == 4 && filter.shape[0] == 1 &&
                            filter.NumElements() == static_cast<int64_t>(filter.data.size()) &&
                            (!filter.quant.per_channel() || filter.quant.quantized_dimension == 3);
    if (!rewritable) continue;
    // A new constant: the original may have other readers.
    Tensor conv_filter = filter;
    const int32_t taps = filter.shape[1] * filter.shape[2], out_c = filter.shape[3];
    conv_filter.name = filter.name + "/as_conv";
    conv_filter.shape = {out_c, filter.shape[1], filter.shape[2], 1};
    conv_filter.quant.quantized_dimension = 0;
    for (int32_t t = 0; t < taps; ++t) {
      for (int32_t c = 0; c < out_c; ++c) {
        conv_filter.data[static_cast<size_t>(c) * taps + t] =
            filter.data[static_cast<size_t>(t) * out_c + c];
      }
    }
    graph.tensors.push_back(std::move(conv_filter));
    node.inputs[1] = static_cast<int>(graph.tensors.size()) - 1;
    node.kind = OpKind::kConv2D;
    std::get<ConvAttrs>(node.attrs).depth_multiplier = 1;
    ++rewritten;
  }
  return rewritten;
}

PassStats OptimizeGraph(Graph& graph) {
  PassStats stats;
  stats.depthwise_to_conv = DepthwiseOverOneChannelToConv(graph);
  stats.identity_quantizes_dropped = DropIdentityQuantize(graph);
  stats.pads_folded = FoldPadIntoConvolutions(graph);
  return stats;
}

}  // namespace mcunet
