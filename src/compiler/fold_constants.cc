#include "compiler/fold_constants.h"

#include <fmt/format.h>

#include <algorithm>

#include "ops/op.h"

namespace mcunet {
namespace {

bool Foldable(const Graph& g, const Node& node) {
  for (int t : node.outputs) {
    if (std::find(g.outputs.begin(), g.outputs.end(), t) != g.outputs.end()) return false;
  }
  if (node.kind == OpKind::kShape) return true;
  for (int t : node.inputs) {
    if (t >= 0 && !g.tensors[t].is_constant) return false;
  }
  return !node.inputs.empty();
}

}  // namespace

Expected<int> FoldConstants(Graph& graph) {
  int folded = 0;
  std::vector<Node> kept;
  for (Node& node : graph.nodes) {
    if (!Foldable(graph, node)) {
      kept.push_back(std::move(node));
      continue;
    }
    MCUNET_ASSIGN_OR_RETURN(auto op, PrepareNode(graph, node));
    std::vector<uint8_t> scratch(static_cast<size_t>(op->ScratchBytes()) + 4);
    std::vector<std::vector<uint8_t>> outputs;
    OpBuffers buffers;
    for (int t : node.inputs) {
      // SHAPE reads no input data: a non-constant input stays a null pointer.
      buffers.inputs.push_back(t >= 0 && graph.tensors[t].is_constant ? graph.tensors[t].data.data()
                                                                      : nullptr);
    }
    for (int t : node.outputs) outputs.emplace_back(graph.tensors[t].Bytes());
    for (auto& o : outputs) buffers.outputs.push_back(o.data());
    buffers.scratch = scratch.data();
    if (const int status = op->Run(buffers); status != 0) {
      return Status::Error(fmt::format("{}: folding the constant inputs failed (kernel status {})",
                                       NodeLabel(node), status));
    }
    for (size_t i = 0; i < node.outputs.size(); ++i) {
      Tensor& t = graph.tensors[node.outputs[i]];
      t.is_constant = true;
      t.data = std::move(outputs[i]);
    }
    ++folded;
  }
  graph.nodes = std::move(kept);
  return folded;
}

}  // namespace mcunet
