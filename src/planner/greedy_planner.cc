#include "planner/greedy_planner.h"

#include <algorithm>
#include <numeric>

namespace mcunet {

ArenaPlan PlanGreedyBySize(const std::vector<BufferRequest>& requests, int64_t alignment) {
  ArenaPlan plan;
  plan.offsets.assign(requests.size(), -1);
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  // Largest first; ties by earlier start, then index, so plans are deterministic.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (requests[a].size != requests[b].size) return requests[a].size > requests[b].size;
    return requests[a].first_step < requests[b].first_step;
  });
  std::vector<size_t> placed;
  for (size_t index : order) {
    const BufferRequest& r = requests[index];
    // The first gap that fits among the placed buffers alive at the same time.
    std::vector<std::pair<int64_t, int64_t>> taken;
    for (size_t other : placed) {
      if (LifetimesOverlap(r, requests[other])) {
        taken.push_back({plan.offsets[other], plan.offsets[other] + requests[other].size});
      }
    }
    const int64_t offset = FirstFitOffset(std::move(taken), r.size, alignment);
    plan.offsets[index] = offset;
    plan.arena_bytes = std::max(plan.arena_bytes, offset + r.size);
    placed.push_back(index);
  }
  plan.arena_bytes = AlignUp(plan.arena_bytes, alignment);
  return plan;
}

}  // namespace mcunet
