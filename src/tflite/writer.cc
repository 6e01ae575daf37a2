#include "tflite/writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <string_view>

#include "core/atomic_file.h"
#include "ir/padding.h"
#include "ops/op.h"
#include "ops/tflite_options.h"
#include "tflite_subset_generated.h"

namespace mcunet {
namespace {

namespace fb = flatbuffers;

constexpr uint32_t kSchemaVersion = 3;
// Operator codes above this only fit the 32-bit builtin_code field; the byte
// field then holds this placeholder, as TFLite's own writers do.
constexpr int32_t kPlaceholderForGreaterOpCodes = 127;

// The padding TFLite can state for a convolution: its own SAME/VALID, or the one
// of them that reproduces a folded explicit padding (same output size, same rows
// and columns before the input); nullopt when neither does.
std::optional<Padding> StatedPadding(const Graph& g, const Node& node, const ConvAttrs& a) {
  if (a.padding != Padding::kExplicit) return a.padding;
  const Tensor& in = g.tensors[node.inputs[0]];
  const Tensor& filter = g.tensors[node.inputs[1]];
  const auto pads = [&](Padding p, int dim, int32_t stride, int32_t dilation, int32_t before,
                        int32_t after) {
    return ComputePadding(p, in.shape[dim], filter.shape[dim], stride, dilation, before, after);
  };
  const Padded h = pads(Padding::kExplicit, 1, a.stride_h, a.dilation_h, a.pad_top, a.pad_bottom);
  const Padded w = pads(Padding::kExplicit, 2, a.stride_w, a.dilation_w, a.pad_left, a.pad_right);
  for (Padding p : {Padding::kSame, Padding::kValid}) {
    const Padded ph = pads(p, 1, a.stride_h, a.dilation_h, 0, 0);
    const Padded pw = pads(p, 2, a.stride_w, a.dilation_w, 0, 0);
    if (ph.out == h.out && ph.pad_before == h.pad_before && pw.out == w.out &&
        pw.pad_before == w.pad_before) {
      return p;
    }
  }
  return std::nullopt;
}

ConvAttrs WithPadding(ConvAttrs a, Padding padding) {
  a.padding = padding;
  a.pad_top = a.pad_bottom = a.pad_left = a.pad_right = 0;
  return a;
}

// The graph as TFLite can state it: unrepresentable explicit paddings become
// PAD operators, then unreferenced tensors are dropped.
Graph Representable(const Graph& source) {
  Graph g = source;
  std::vector<Node> nodes;
  for (Node node : source.nodes) {
    const auto* attrs = std::get_if<ConvAttrs>(&node.attrs);
    const std::optional<Padding> stated =
        attrs ? StatedPadding(g, node, *attrs) : std::optional<Padding>();
    if (attrs && stated) {
      node.attrs = WithPadding(*attrs, *stated);
    } else if (attrs) {
      const std::vector<int32_t> pads = {0, 0, attrs->pad_top, attrs->pad_bottom,
                                         attrs->pad_left, attrs->pad_right, 0, 0};
      const Tensor& in = g.tensors[node.inputs[0]];
      Tensor paddings;
      paddings.name = in.name + "/paddings";
      paddings.type = DataType::kInt32;
      paddings.shape = {4, 2};
      paddings.is_constant = true;
      paddings.data.resize(pads.size() * sizeof(int32_t));
      std::memcpy(paddings.data.data(), pads.data(), paddings.data.size());
      Tensor padded = in;
      padded.name = in.name + "/padded";
      padded.shape[1] += pads[2] + pads[3];
      padded.shape[2] += pads[4] + pads[5];
      g.tensors.push_back(std::move(paddings));
      g.tensors.push_back(std::move(padded));
      Node pad;
      pad.kind = OpKind::kPad;
      pad.index = node.index;
      pad.inputs = {node.inputs[0], static_cast<int>(g.tensors.size()) - 2};
      pad.outputs = {static_cast<int>(g.tensors.size()) - 1};
      node.inputs[0] = pad.outputs[0];
      node.attrs = WithPadding(*attrs, Padding::kValid);
      nodes.push_back(std::move(pad));
    }
    nodes.push_back(std::move(node));
  }
  g.nodes = std::move(nodes);

  // Keep referenced tensors, in their order.
  std::vector<int> remap(g.tensors.size(), -1);
  const auto keep = [&](int t) {
    if (t >= 0) remap[t] = 0;
  };
  for (int t : g.inputs) keep(t);
  for (int t : g.outputs) keep(t);
  for (const Node& n : g.nodes) {
    for (int t : n.inputs) keep(t);
    for (int t : n.outputs) keep(t);
  }
  Graph out;
  out.name = g.name;
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (remap[t] < 0) continue;
    remap[t] = static_cast<int>(out.tensors.size());
    out.tensors.push_back(std::move(g.tensors[t]));
  }
  const auto renumber = [&](std::vector<int>& list) {
    for (int& t : list) t = t < 0 ? -1 : remap[t];
  };
  out.inputs = g.inputs, out.outputs = g.outputs;
  renumber(out.inputs), renumber(out.outputs);
  for (Node& n : g.nodes) {
    renumber(n.inputs), renumber(n.outputs);
    out.nodes.push_back(std::move(n));
  }
  return out;
}

fb::Offset<tflite::QuantizationParameters> WriteQuant(fb::FlatBufferBuilder& b,
                                                       const QuantParams& q) {
  if (q.empty()) return 0;
  return tflite::CreateQuantizationParameters(
      b, 0, 0, b.CreateVector(q.scales), b.CreateVector(q.zero_points),
      tflite::QuantizationDetails::NONE, 0, q.quantized_dimension);
}

}  // namespace

Expected<std::vector<uint8_t>> WriteTfliteModel(const Graph& source) {
  const Graph g = Representable(source);
  fb::FlatBufferBuilder b(1 << 16);

  // Buffer 0 is the empty sentinel every non-constant tensor points at.
  std::vector<fb::Offset<tflite::Buffer>> buffers = {tflite::CreateBuffer(b)};
  std::vector<fb::Offset<tflite::Tensor>> tensors;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (t.type == DataType::kUnknown) {
      return Status::Error(fmt::format("{}: unknown element type", TensorLabel(g, i)));
    }
    uint32_t buffer = 0;
    if (t.is_constant) {
      if (static_cast<int64_t>(t.data.size()) != t.Bytes()) {
        return Status::Error(fmt::format("{}: constant holds {} bytes, shape {} needs {}",
                                         TensorLabel(g, i), t.data.size(), t.ShapeString(),
                                         t.Bytes()));
      }
      b.ForceVectorAlignment(t.data.size(), sizeof(uint8_t), 16);
      const auto data = b.CreateVector(t.data);
      buffer = static_cast<uint32_t>(buffers.size());
      buffers.push_back(tflite::CreateBuffer(b, data));
    }
    tensors.push_back(tflite::CreateTensor(
        b, b.CreateVector(t.shape), static_cast<tflite::TensorType>(t.type), buffer,
        b.CreateString(t.name), WriteQuant(b, t.quant), t.is_variable));
  }

  // One operator code per kind used, in order of first use.
  std::map<OpKind, uint32_t> code_index;
  std::vector<fb::Offset<tflite::OperatorCode>> codes;
  std::vector<fb::Offset<tflite::Operator>> operators;
  for (const Node& node : g.nodes) {
    auto [it, added] = code_index.emplace(node.kind, static_cast<uint32_t>(codes.size()));
    if (added) {
      const int32_t code = OpKindBuiltinCode(node.kind);
      codes.push_back(tflite::CreateOperatorCode(
          b, static_cast<int8_t>(std::min(code, kPlaceholderForGreaterOpCodes)), 0, 1,
          static_cast<tflite::BuiltinOperator>(code)));
    }
    auto options = GetOpDefinition(node.kind).write_tflite(b, g, node);
    if (!options.ok()) return options.status().WithContext(NodeLabel(node) + ": ");
    operators.push_back(tflite::CreateOperator(
        b, it->second, b.CreateVector(node.inputs), b.CreateVector(node.outputs),
        static_cast<tflite::BuiltinOptions>(options->type), fb::Offset<void>(options->offset)));
  }
  const auto subgraph = tflite::CreateSubGraph(
      b, b.CreateVector(tensors), b.CreateVector(g.inputs), b.CreateVector(g.outputs),
      b.CreateVector(operators), b.CreateString(g.name));
  const auto model = tflite::CreateModel(b, kSchemaVersion, b.CreateVector(codes),
                                         b.CreateVector(&subgraph, 1), b.CreateString("mcunet"),
                                         b.CreateVector(buffers));
  tflite::FinishModelBuffer(b, model);
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

Status WriteTfliteFile(const Graph& graph, const std::string& path) {
  MCUNET_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, WriteTfliteModel(graph));
  return WriteFileAtomically(
      path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace mcunet
