#include "runtime/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace mcunet {

namespace {
constexpr int64_t kArenaAlignment = 16;  // as TF Lite Micro, so figures compare directly
}

Expected<std::unique_ptr<Executor>> Executor::Create(Graph graph) {
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

  // Lifetimes: a tensor lives from the step that writes it (graph inputs: step 0)
  // to the last step that reads it (graph outputs: the last step).
  const int steps = static_cast<int>(g.nodes.size());
  const int last = std::max(steps - 1, 0);
  ex->request_of_tensor_.assign(g.tensors.size(), -1);
  const auto request_for = [&](int tensor, int step) {
    int& r = ex->request_of_tensor_[tensor];
    if (r < 0) {
      r = static_cast<int>(ex->requests_.size());
      ex->requests_.push_back({g.tensors[tensor].Bytes(), step, step});
    }
    return r;
  };
  for (int index : g.inputs) request_for(index, 0);
  for (int s = 0; s < steps; ++s) {
    for (int index : g.nodes[s].outputs) request_for(index, s);
    for (int index : g.nodes[s].inputs) {
      if (index < 0 || g.tensors[index].is_constant) continue;
      BufferRequest& r = ex->requests_[request_for(index, s)];
      r.last_step = std::max(r.last_step, s);
    }
  }
  for (int index : g.outputs) {
    if (!g.tensors[index].is_constant) ex->requests_[request_for(index, last)].last_step = last;
  }
  std::vector<int> scratch_request(steps, -1);
  for (int s = 0; s < steps; ++s) {
    if (ex->ops_[s]->ScratchBytes() > 0) {
      scratch_request[s] = static_cast<int>(ex->requests_.size());
      ex->requests_.push_back({ex->ops_[s]->ScratchBytes(), s, s});
    }
  }
  ex->plan_ = PlanGreedyBySize(ex->requests_, kArenaAlignment);
  const std::string overlap = FindOverlap(ex->requests_, ex->plan_);
  if (!overlap.empty()) return Status::Error("internal planner error: " + overlap);
  ex->arena_.reset(new uint8_t[std::max<int64_t>(ex->plan_.arena_bytes, 1)]());

  // Bind every node's buffers once, so Invoke allocates nothing.
  for (int s = 0; s < steps; ++s) {
    const Node& node = g.nodes[s];
    OpBuffers b;
    for (int index : node.inputs) {
      b.inputs.push_back(index < 0 ? nullptr : ex->TensorBytes(index).data());
    }
    for (int index : node.outputs) {
      b.outputs.push_back(ex->arena_.get() + ex->plan_.offsets[ex->request_of_tensor_[index]]);
    }
    if (scratch_request[s] >= 0)
      b.scratch = ex->arena_.get() + ex->plan_.offsets[scratch_request[s]];
    ex->bindings_.push_back(std::move(b));
  }
  return ex;
}

std::span<const uint8_t> Executor::TensorBytes(int tensor) const {
  const Tensor& t = graph_.tensors[tensor];
  if (t.is_constant) return {t.data.data(), t.data.size()};
  const int r = request_of_tensor_[tensor];
  if (r < 0) return {};
  return {arena_.get() + plan_.offsets[r], static_cast<size_t>(t.Bytes())};
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
  std::memcpy(arena_.get() + plan_.offsets[request_of_tensor_[index]], bytes.data(), bytes.size());
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
