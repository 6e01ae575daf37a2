// The one compilation step every back end and every figure stands on: graph
// passes, prepared ops, the execution order and the memory plan of one model.
// The host Executor runs a CompiledModel; the code generator prints one; the
// search's cost check, `analyze` and the benchmarks read their figures off one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ir/graph.h"
#include "ops/op.h"
#include "planner/memory_plan.h"

namespace mcunet {

struct CompileOptions {
  bool optimize = true;  // graph passes (ir/passes.h): PAD folding, identity QUANTIZE removal
  PlanOptions plan;
  // Constants stored larger for the DSP cores where that makes a kernel faster
  // (PreparedOp::OfferWiderConstants: 1x1 and gathered convolutions' rows and
  // depthwise filters as int16), the most instructions saved per byte first,
  // while the Flash (constants + kCodeBytesEstimate) stays within flash_limit.
  // The search turns it off: there Flash buys accuracy.
  bool flash_for_speed = true;
  int64_t flash_limit = int64_t{1} << 20;  // a device's Flash where one is named
};

// Whole-model totals, cheap enough for the search to read on every candidate.
struct ModelTotals {
  int64_t macs = 0;
  int64_t params = 0;         // elements of quantised constants (weights, biases)
  int64_t weights_bytes = 0;  // bytes of every constant operators read (shared ones once)
  // Constant data in Flash: weights + per-channel requantisation tables. The code
  // (kernels, invoke) is not included: see kCodeBytesEstimate.
  int64_t flash_bytes = 0;
  int64_t peak_sram_bytes = 0;  // the arena, activations and scratch
};

// Code size (kernels, invoke, start-up, runner) to add to ModelTotals::flash_bytes
// where a Flash limit must be checked before any code exists: an upper bound of
// the code measured (a searched network's firmware for the Cortex-M4 with its
// runner: 25,836 B beyond its weights and tables once fully connected layers
// had their DSP kernel; bench_mcu: up to 25,212 B, mcunet-320kb). The co-design
// test (search_cli_test) fails when a built firmware's Flash exceeds the estimate.
constexpr int64_t kCodeBytesEstimate = 26 * 1024;

struct CompiledModel {
  Graph graph;  // after passes; nodes in execution order
  std::vector<std::unique_ptr<PreparedOp>> ops;  // ops[i] runs graph.nodes[i]
  MemoryPlan memory;
  ModelTotals totals;

  int64_t arena_bytes() const { return memory.arena_bytes(); }
  const PreparedOp& op(size_t node) const { return *ops[node]; }
  // Arena offset of a non-constant tensor (-1: not planned).
  int64_t TensorOffset(int tensor) const;
};

// Validates and prepares every node (errors name the operator and tensor),
// chooses the execution order, plans the arena and checks the plan.
Expected<CompiledModel> Compile(Graph graph, const CompileOptions& options = {});

}  // namespace mcunet
