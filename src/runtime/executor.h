// Host executor: prepares every op, plans one arena for all activations and
// scratch buffers, allocates it once, and runs the kernels with no further heap
// allocation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/status.h"
#include "ir/graph.h"
#include "ops/op.h"
#include "planner/memory_plan.h"

namespace mcunet {

class Executor {
 public:
  // Validates and prepares every node; errors name the operator and tensor.
  static Expected<std::unique_ptr<Executor>> Create(Graph graph, const PlanOptions& options = {});

  const Graph& graph() const { return graph_; }
  // The arena: exactly what the plan needs, activations and scratch included.
  int64_t arena_bytes() const { return memory_.arena_bytes(); }
  const MemoryPlan& memory_plan() const { return memory_; }
  int64_t ScratchBytes(size_t node) const { return ops_[node]->ScratchBytes(); }
  int64_t ParameterBytes(size_t node) const { return ops_[node]->ParameterBytes(); }
  const PreparedOp& op(size_t node) const { return *ops_[node]; }

  // Copies `bytes` into graph input i; the size must match exactly.
  Status SetInput(size_t i, std::span<const uint8_t> bytes);
  // Runs all nodes. `after_node`, if given, is called after each node and may stop the run.
  Status Invoke(const std::function<Status(size_t node)>& after_node = nullptr);
  // Bytes of any non-constant tensor (valid while it is live) or constant.
  std::span<const uint8_t> TensorBytes(int tensor) const;
  std::span<const uint8_t> Output(size_t i) const { return TensorBytes(graph_.outputs[i]); }

 private:
  Executor() = default;
  Graph graph_;
  std::vector<std::unique_ptr<PreparedOp>> ops_;
  MemoryPlan memory_;
  std::unique_ptr<uint8_t[]> arena_;
  std::vector<OpBuffers> bindings_;
};

}  // namespace mcunet
