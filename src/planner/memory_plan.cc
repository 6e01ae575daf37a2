#include "planner/memory_plan.h"

#include <algorithm>

#include "planner/arena_planner.h"
#include "planner/greedy_planner.h"
#include "planner/views.h"

namespace mcunet {

std::vector<int64_t> MemoryPlan::LiveBytesPerStep(const ArenaPlan& arena_plan, bool copying) const {
  const std::vector<BufferRequest> requests =
      copying ? WithoutViews(this->requests) : this->requests;
  int last = 0;
  for (const auto& r : requests) last = std::max(last, r.last_step);
  std::vector<int64_t> live(last + 1, 0);
  for (size_t s = 0; s < live.size(); ++s) {
    // Union of the byte ranges live at step s.
    std::vector<std::pair<int64_t, int64_t>> ranges;
    for (size_t i = 0; i < requests.size(); ++i) {
      const auto& r = requests[i];
      if (r.first_step <= static_cast<int>(s) && static_cast<int>(s) <= r.last_step && r.size > 0) {
        ranges.emplace_back(arena_plan.offsets[i], arena_plan.offsets[i] + r.size);
      }
    }
    std::sort(ranges.begin(), ranges.end());
    int64_t end = INT64_MIN;
    for (const auto& [lo, hi] : ranges) {
      live[s] += std::max<int64_t>(0, hi - std::max(lo, end));
      end = std::max(end, hi);
    }
  }
  return live;
}

int64_t StateBytes(const std::vector<BufferRequest>& requests, int64_t alignment) {
  int64_t bytes = 0;
  for (const BufferRequest& r : requests) {
    if (r.persistent) bytes += AlignUp(r.size, alignment);
  }
  return bytes;
}

ArenaPlan PlanWithStateBelow(
    const std::vector<BufferRequest>& requests, int64_t alignment,
    const std::function<ArenaPlan(const std::vector<BufferRequest>&)>& planner) {
  if (std::none_of(requests.begin(), requests.end(),
                   [](const BufferRequest& r) { return r.persistent; })) {
    return planner(requests);
  }
  std::vector<BufferRequest> packed;
  std::vector<int> packed_index(requests.size(), -1);
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].persistent) continue;
    packed_index[i] = static_cast<int>(packed.size());
    packed.push_back(requests[i]);
  }
  // State is never an in-place partner (PlanMemory grants no such permission).
  for (BufferRequest& r : packed) r.overlaps = r.overlaps < 0 ? -1 : packed_index[r.overlaps];
  const ArenaPlan inner = planner(packed);
  const int64_t state = StateBytes(requests, alignment);
  ArenaPlan plan;
  plan.offsets.assign(requests.size(), 0);
  int64_t at = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].persistent) {
      plan.offsets[i] = at;
      at += AlignUp(requests[i].size, alignment);
    } else {
      plan.offsets[i] = state + inner.offsets[packed_index[i]];
    }
  }
  plan.arena_bytes = state + inner.arena_bytes;
  return plan;
}

Expected<MemoryPlan> PlanMemory(const Graph& g, const std::vector<const PreparedOp*>& ops,
                                const PlanOptions& options, const std::vector<size_t>& order) {
  MemoryPlan mp;
  const int steps = static_cast<int>(g.nodes.size());
  const auto node_at = [&](int step) { return order.empty() ? size_t(step) : order[step]; };
  const int last = std::max(steps - 1, 0);
  mp.request_of_tensor.assign(g.tensors.size(), -1);
  const auto request_for = [&](int tensor, int step) {
    int& r = mp.request_of_tensor[tensor];
    if (r < 0) {
      r = static_cast<int>(mp.requests.size());
      mp.requests.push_back({g.tensors[tensor].Bytes(), step, step});
    }
    return r;
  };
  // Lifetimes: from the step that writes a tensor (graph inputs: step 0) to the
  // last step that reads it (graph outputs: the last step).
  for (int index : g.inputs) request_for(index, 0);
  for (int s = 0; s < steps; ++s) {
    for (int index : g.nodes[node_at(s)].outputs) request_for(index, s);
    for (int index : g.nodes[node_at(s)].inputs) {
      if (index < 0 || g.tensors[index].is_constant || g.tensors[index].is_variable) continue;
      BufferRequest& r = mp.requests[request_for(index, s)];
      r.last_step = std::max(r.last_step, s);
    }
  }
  std::vector<bool> is_output(g.tensors.size(), false);
  for (int index : g.outputs) {
    if (g.tensors[index].is_constant) continue;
    mp.requests[request_for(index, last)].last_step = last;
    is_output[index] = true;
  }
  // In-place permissions: a node's first output may share bytes with one input
  // that dies at this node, as far as the op's rule allows (the largest such input).
  if (options.in_place) {
    for (int s = 0; s < steps; ++s) {
      const Node& node = g.nodes[node_at(s)];
      BufferRequest& out = mp.requests[mp.request_of_tensor[node.outputs[0]]];
      int64_t best_size = -1;
      for (size_t i = 0; i < node.inputs.size(); ++i) {
        const int t = node.inputs[i];
        if (t < 0 || g.tensors[t].is_constant || g.tensors[t].is_variable || is_output[t] ||
            t == node.outputs[0]) {
          continue;
        }
        const int r = mp.request_of_tensor[t];
        if (mp.requests[r].last_step != s) continue;
        const int64_t offset = ops[node_at(s)]->InPlaceOffset(i);
        if (offset == kNoInPlace || mp.requests[r].size <= best_size) continue;
        best_size = mp.requests[r].size;
        out.overlaps = r;
        out.overlap_offset = offset;
      }
    }
  }
  mp.scratch_request.assign(steps, -1);
  for (int s = 0; s < steps; ++s) {
    const int64_t scratch = ops[node_at(s)]->ScratchBytes();
    if (scratch > 0) {
      mp.scratch_request[s] = static_cast<int>(mp.requests.size());
      mp.requests.push_back({scratch, s, s});
    }
  }
  // Variable tensors: live at every step and from one run to the next.
  for (int s = 0; s < steps; ++s) {
    for (int index : g.nodes[node_at(s)].inputs) {
      if (index < 0 || !g.tensors[index].is_variable || mp.request_of_tensor[index] >= 0) continue;
      mp.request_of_tensor[index] = static_cast<int>(mp.requests.size());
      BufferRequest state{g.tensors[index].Bytes(), 0, last};
      state.persistent = true;
      mp.requests.push_back(state);
    }
  }
  mp.state_bytes = StateBytes(mp.requests, options.alignment);
  const auto plan_ours = [&](const std::vector<BufferRequest>& requests) {
    return PlanWithViews(requests, [&](const auto& placed) {
      return PlanWithStateBelow(placed, options.alignment, [&](const auto& packed) {
        return PlanArena(packed, options.alignment, options.placement_orders);
      });
    });
  };
  mp.plan = plan_ours(mp.requests);
  if (options.views && options.in_place) {
    // Views lengthen the output's life: kept only where the arena does not grow.
    std::vector<BufferRequest> viewed = mp.requests;
    if (MarkViews(g, ops, order, is_output, mp.request_of_tensor, options.alignment, viewed) > 0) {
      ArenaPlan plan = plan_ours(viewed);
      if (plan.arena_bytes <= mp.plan.arena_bytes) {
        mp.requests = std::move(viewed);
        mp.plan = std::move(plan);
      }
    }
  }
  const std::vector<BufferRequest> copying = WithoutViews(mp.requests);
  if (options.with_reports) {
    mp.baseline = PlanWithStateBelow(copying, options.alignment, [&](const auto& requests) {
      return PlanGreedyBySize(requests, options.alignment);
    });
    mp.lower_bound = ArenaLowerBound(mp.requests);
  }
  const auto check = [](const std::vector<BufferRequest>& requests, const ArenaPlan& p) {
    if (p.offsets.empty() && !requests.empty()) return std::string();  // not planned
    return FindOverlap(requests, p);
  };
  for (const std::string& violation : {check(mp.requests, mp.plan), check(copying, mp.baseline)}) {
    if (!violation.empty()) return Status::Error("internal planner error: " + violation);
  }
  return mp;
}

}  // namespace mcunet
