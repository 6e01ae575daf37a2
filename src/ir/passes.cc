#include "ir/passes.h"

#include <algorithm>
#include <cstring>

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

PassStats OptimizeGraph(Graph& graph) {
  PassStats stats;
  stats.identity_quantizes_dropped = DropIdentityQuantize(graph);
  stats.pads_folded = FoldPadIntoConvolutions(graph);
  return stats;
}

}  // namespace mcunet
