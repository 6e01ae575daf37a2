#include "compiler/compile.h"

#include <fmt/format.h>

#include <set>

#include "compiler/fold_constants.h"
#include "ir/passes.h"
#include "planner/schedule.h"

namespace mcunet {
namespace {

// The host runtime and the generated C take raw bytes of these types only.
Status CheckGraphInputs(const Graph& g) {
  for (int index : g.inputs) {
    const Tensor& t = g.tensors[index];
    if (t.type != DataType::kInt8 && t.type != DataType::kFloat32 && t.type != DataType::kInt16 &&
        t.type != DataType::kInt32) {
      return Status::Error(fmt::format("graph input {} has unsupported type {}",
                                       TensorLabel(g, index), DataTypeName(t.type)));
    }
  }
  return OkStatus();
}

ModelTotals ComputeTotals(const CompiledModel& m) {
  const Graph& g = m.graph;
  ModelTotals totals;
  std::set<int> counted;  // a constant shared by two layers counts once
  for (size_t s = 0; s < g.nodes.size(); ++s) {
    const Node& node = g.nodes[s];
    totals.macs += GetOpDefinition(node.kind).macs(g, node);
    totals.flash_bytes += m.ops[s]->ParameterBytes();
    for (int index : node.inputs) {
      if (index < 0 || !g.tensors[index].is_constant || !counted.insert(index).second) continue;
      const Tensor& t = g.tensors[index];
      // Parameters are quantised constants (weights, biases), not shape or axis operands.
      if (!t.quant.empty()) totals.params += t.NumElements();
      totals.weights_bytes += t.Bytes();
    }
  }
  totals.flash_bytes += totals.weights_bytes;
  totals.peak_sram_bytes = m.arena_bytes();
  return totals;
}

}  // namespace

int64_t CompiledModel::TensorOffset(int tensor) const {
  const int r = memory.request_of_tensor[tensor];
  return r < 0 ? -1 : memory.plan.offsets[r];
}

Expected<CompiledModel> Compile(Graph graph, const CompileOptions& options) {
  if (options.optimize) {
    MCUNET_RETURN_IF_ERROR(FoldConstants(graph).status());
    OptimizeGraph(graph);
  }
  CompiledModel m;
  m.graph = std::move(graph);
  Graph& g = m.graph;
  for (const Node& node : g.nodes) {
    MCUNET_ASSIGN_OR_RETURN(auto op, GetOpDefinition(node.kind).prepare(g, node));
    m.ops.push_back(std::move(op));
  }
  MCUNET_RETURN_IF_ERROR(CheckGraphInputs(g));
  std::vector<const PreparedOp*> ops;
  for (const auto& op : m.ops) ops.push_back(op.get());
  if (options.plan.search_order) {
    const std::vector<size_t> order = SearchExecutionOrder(g, ops, options.plan);
    std::vector<Node> nodes;
    std::vector<std::unique_ptr<PreparedOp>> prepared;
    for (size_t n : order) {
      nodes.push_back(std::move(g.nodes[n]));
      prepared.push_back(std::move(m.ops[n]));
    }
    g.nodes = std::move(nodes);
    m.ops = std::move(prepared);
    for (size_t i = 0; i < order.size(); ++i) ops[i] = m.ops[i].get();
  }
  MCUNET_ASSIGN_OR_RETURN(m.memory, PlanMemory(g, ops, options.plan));
  m.totals = ComputeTotals(m);
  return m;
}

}  // namespace mcunet
