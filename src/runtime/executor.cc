#include "runtime/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "planner/schedule.h"

namespace mcunet {

Expected<std::unique_ptr<Executor>> Executor::Create(Graph graph, const PlanOptions& options) {
  std::unique_ptr<Executor> ex(new Executor());
  ex->graph_ = std::move(graph);
  const Graph& g = ex->graph_;
  for (const Node& node : g.nodes) {
    MCUNET_ASSIGN_OR_RETURN(auto op, GetOpDefinition(node.kind).prepare(g, node));
    ex->ops_.push_back(std::move(op));
  }
  for (int index : g.inputs) {
    const Tensor& t = g.tensors[index];
    if (t.type != DataType::kInt8 && t.type != DataType::kFloat32 && t.type != DataType::kInt16 &&
        t.type != DataType::kInt32) {
      return Status::Error(fmt::format("graph input {} has unsupported type {}",
                                       TensorLabel(g, index), DataTypeName(t.type)));
    }
  }
  std::vector<const PreparedOp*> ops;
  for (const auto& op : ex->ops_) ops.push_back(op.get());
  if (options.search_order) {
    const std::vector<size_t> order = SearchExecutionOrder(g, ops, options);
    std::vector<Node> nodes;
    std::vector<std::unique_ptr<PreparedOp>> prepared;
    for (size_t n : order) {
      nodes.push_back(std::move(ex->graph_.nodes[n]));
      prepared.push_back(std::move(ex->ops_[n]));
    }
    ex->graph_.nodes = std::move(nodes);
    ex->ops_ = std::move(prepared);
    for (size_t i = 0; i < order.size(); ++i) ops[i] = ex->ops_[i].get();
  }
  MCUNET_ASSIGN_OR_RETURN(ex->memory_, PlanMemory(g, ops, options));
  const MemoryPlan& mp = ex->memory_;
  ex->arena_.reset(new uint8_t[std::max<int64_t>(mp.arena_bytes(), 1)]());

  // Bind every node's buffers once, so Invoke allocates nothing.
  for (size_t s = 0; s < g.nodes.size(); ++s) {
    const Node& node = g.nodes[s];
    OpBuffers b;
    for (int index : node.inputs) {
      b.inputs.push_back(index < 0 ? nullptr : ex->TensorBytes(index).data());
    }
    for (int index : node.outputs) {
      b.outputs.push_back(ex->arena_.get() + mp.plan.offsets[mp.request_of_tensor[index]]);
    }
    if (mp.scratch_request[s] >= 0) {
      b.scratch = ex->arena_.get() + mp.plan.offsets[mp.scratch_request[s]];
    }
    ex->bindings_.push_back(std::move(b));
  }
  return ex;
}

std::span<const uint8_t> Executor::TensorBytes(int tensor) const {
  const Tensor& t = graph_.tensors[tensor];
  if (t.is_constant) return {t.data.data(), t.data.size()};
  const int r = memory_.request_of_tensor[tensor];
  if (r < 0) return {};
  return {arena_.get() + memory_.plan.offsets[r], static_cast<size_t>(t.Bytes())};
}

Status Executor::SetInput(size_t i, std::span<const uint8_t> bytes) {
  if (i >= graph_.inputs.size()) {
    return Status::Error(
        fmt::format("input {} does not exist; the model has {} inputs", i, graph_.inputs.size()));
  }
  const int index = graph_.inputs[i];
  const Tensor& t = graph_.tensors[index];
  if (static_cast<int64_t>(bytes.size()) != t.Bytes()) {
    return Status::Error(fmt::format("input {} ({}) needs {} bytes ({} {}), got {}", i,
                                     TensorLabel(graph_, index), t.Bytes(), t.ShapeString(),
                                     DataTypeName(t.type), bytes.size()));
  }
  std::memcpy(arena_.get() + memory_.plan.offsets[memory_.request_of_tensor[index]], bytes.data(),
              bytes.size());
  return OkStatus();
}

Status Executor::Invoke(const std::function<Status(size_t node)>& after_node) {
  for (size_t s = 0; s < ops_.size(); ++s) {
    const int rc = ops_[s]->Run(bindings_[s]);
    if (rc != 0) {
      return Status::Error(
          fmt::format("{}: kernel failed with status {}", NodeLabel(graph_.nodes[s]), rc));
    }
    if (after_node) MCUNET_RETURN_IF_ERROR(after_node(s));
  }
  return OkStatus();
}

}  // namespace mcunet
