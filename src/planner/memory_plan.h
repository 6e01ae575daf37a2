// Whole-graph memory planning: every activation and every scratch buffer in one
// arena, with the in-place rules the op definitions state, checked before use.
// The TF Lite Micro-style baseline is planned from the same requests.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/status.h"
#include "ir/graph.h"
#include "ops/op.h"
#include "planner/buffer_request.h"

namespace mcunet {

struct PlanOptions {
  bool in_place = true;      // use the ops' in-place rules
  // Plan concatenation inputs as views of the output (planner/views.h) where
  // that plan is no larger than the copying one; needs in_place.
  bool views = true;
  bool search_order = true;  // try other valid operator orders where the graph branches
  // Placement orders tried (arena_planner.h); fewer is faster. The NAS uses a few:
  // on MBConv stacks the first orders already find the best plans.
  int placement_orders = 0;  // 0: all
  // Also plan the TFLM-style baseline and the lower bound (reports; the NAS skips them).
  bool with_reports = true;
  int64_t alignment = 16;
  // How much a fast kernel variant's scratch may grow the arena (a fraction of
  // it; Compile places such scratch in gaps first), and whether fast variants
  // are used everywhere whatever they cost in SRAM.
  double fast_kernel_arena_growth = 0.02;
  bool fast_kernels_always = false;
};

struct MemoryPlan {
  std::vector<BufferRequest> requests;
  std::vector<int> request_of_tensor;  // -1 for constants
  std::vector<int> scratch_request;    // per node, -1 when it needs none
  ArenaPlan plan;                      // ours
  ArenaPlan baseline;                  // TFLM's greedy-by-size, no in-place, same requests
  int64_t lower_bound = 0;             // no plan of these requests can be smaller
  // Variable tensors (state) fill the arena's first state_bytes: no other
  // buffer is ever placed there, so the state survives from one run to the next.
  int64_t state_bytes = 0;

  int64_t arena_bytes() const { return plan.arena_bytes; }
  // Bytes between the rows (last axis) of `tensor` when it is a strided view
  // (planner/views.h), else 0: what its producer is told (OpBuffers::output_stride).
  int64_t RowStride(int tensor) const {
    const int r = tensor >= 0 ? request_of_tensor[tensor] : -1;
    return r >= 0 && requests[r].view_of >= 0 ? requests[r].view_stride : 0;
  }
  // Bytes occupied by buffers live during each step under `arena_plan` (the
  // union of their ranges, so in-place pairs count once). `copying`: the
  // baseline's lifetimes, where every concatenation copies (views.h).
  std::vector<int64_t> LiveBytesPerStep(const ArenaPlan& arena_plan, bool copying = false) const;
};

// Runs `planner` on the requests that are not persistent, then puts the
// persistent ones (variable tensors) below them, from offset 0 in request order,
// each aligned, and shifts the rest up: the state sits at one end of the arena,
// outside the packing. Without persistent requests it is `planner` alone, so a
// model without state gets exactly the plan it had before state existed.
ArenaPlan PlanWithStateBelow(
    const std::vector<BufferRequest>& requests, int64_t alignment,
    const std::function<ArenaPlan(const std::vector<BufferRequest>&)>& planner);
// Bytes of the arena's persistent part (each persistent request aligned).
int64_t StateBytes(const std::vector<BufferRequest>& requests, int64_t alignment);

// `ops[i]` is the prepared op of graph.nodes[i]. Step s runs node `order[s]`
// (empty: the graph's own order), so candidate orders are planned from their
// buffer requests without reordering a copy of the graph.
Expected<MemoryPlan> PlanMemory(const Graph& graph, const std::vector<const PreparedOp*>& ops,
                                const PlanOptions& options = {},
                                const std::vector<size_t>& order = {});

}  // namespace mcunet
