// Host executor: owns one arena of the planned size and runs a CompiledModel's
// kernels in it, with no heap allocation after Create.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "compiler/compile.h"
#include "core/status.h"

namespace mcunet {

class Executor {
 public:
  static Expected<std::unique_ptr<Executor>> Create(CompiledModel model);
  // Executors of one model share it (ops only read it); each has its arena.
  static Expected<std::unique_ptr<Executor>> Create(std::shared_ptr<const CompiledModel> model);
  // Another executor of the same model, with an arena of its own: for threads.
  Expected<std::unique_ptr<Executor>> Clone() const { return Create(model_); }
  // Compiles `graph` as it is (no graph passes) with `options`, then as above.
  static Expected<std::unique_ptr<Executor>> Create(Graph graph, const PlanOptions& options = {});

  const CompiledModel& model() const { return *model_; }
  const Graph& graph() const { return model_->graph; }
  // The arena: exactly what the plan needs, activations and scratch included.
  int64_t arena_bytes() const { return model_->arena_bytes(); }
  const MemoryPlan& memory_plan() const { return model_->memory; }

  // Copies `bytes` into graph input i; the size must match exactly.
  Status SetInput(size_t i, std::span<const uint8_t> bytes);
  // Sets every variable tensor (state) to its initial value, as TF Lite Micro
  // does: zeros, an int8 tensor's zero point. Create does it once; the state then
  // carries over from one Invoke to the next until the next Reset.
  void Reset();
  // Runs all nodes. `after_node`, if given, is called after each node and may stop the run.
  Status Invoke(const std::function<Status(size_t node)>& after_node = nullptr);
  // Bytes of any non-constant tensor (valid while it is live) or constant;
  // empty for a strided view (planner/views.h), whose rows lie apart in its
  // concatenation's output.
  std::span<const uint8_t> TensorBytes(int tensor) const;
  std::span<const uint8_t> Output(size_t i) const { return TensorBytes(model_->graph.outputs[i]); }

 private:
  explicit Executor(std::shared_ptr<const CompiledModel> model) : model_(std::move(model)) {}
  // Where a tensor's bytes start (a strided view's first row too); nullptr: nowhere.
  const uint8_t* TensorStart(int tensor) const;
  std::shared_ptr<const CompiledModel> model_;
  std::unique_ptr<uint8_t[]> arena_;
  std::vector<OpBuffers> bindings_;
};

}  // namespace mcunet
