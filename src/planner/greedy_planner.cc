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
    // Placed buffers alive at the same time, by offset: take the first gap that fits.
    std::vector<size_t> conflicts;
    for (size_t other : placed) {
      if (LifetimesOverlap(r, requests[other])) conflicts.push_back(other);
    }
    std::sort(conflicts.begin(), conflicts.end(),
              [&](size_t a, size_t b) { return plan.offsets[a] < plan.offsets[b]; });
    int64_t offset = 0;
    for (size_t other : conflicts) {
      if (offset + r.size <= plan.offsets[other]) break;
      offset = std::max(offset, AlignUp(plan.offsets[other] + requests[other].size, alignment));
    }
    plan.offsets[index] = offset;
    plan.arena_bytes = std::max(plan.arena_bytes, offset + r.size);
    placed.push_back(index);
  }
  plan.arena_bytes = AlignUp(plan.arena_bytes, alignment);
  return plan;
}

}  // namespace mcunet
