#include "planner/arena_planner.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "planner/greedy_planner.h"

namespace mcunet {
namespace {

// Places buffers in the given order, each at the lowest allowed candidate offset
// or (minimize_span) at the one that keeps the arena span smallest. Offsets may go
// below zero, so an output placed after its in-place input can still start below
// it; the plan is shifted to start at zero at the end.
ArenaPlan PlaceInOrder(const std::vector<BufferRequest>& requests, const std::vector<size_t>& order,
                       int64_t alignment, bool minimize_span, int64_t give_up_above) {
  ArenaPlan plan;
  plan.offsets.assign(requests.size(), 0);
  std::vector<size_t> placed, conflicts;
  std::vector<int64_t> candidates;
  int64_t lo = 0, hi = 0;  // span of everything placed so far
  for (size_t x : order) {
    const BufferRequest& r = requests[x];
    conflicts.clear();
    candidates.assign(1, lo);
    for (size_t y : placed) {
      const BufferRequest& q = requests[y];
      if (!LifetimesOverlap(r, q) || q.size == 0) continue;
      conflicts.push_back(y);
      const int64_t oy = plan.offsets[y];
      candidates.push_back(AlignUp(oy + q.size, alignment));
      if (r.overlaps == static_cast<int>(y)) {
        candidates.push_back(AlignDown(oy - r.overlap_offset, alignment));
      }
      if (q.overlaps == static_cast<int>(x)) {
        candidates.push_back(AlignUp(oy + q.overlap_offset, alignment));
      }
    }
    int64_t chosen = 0, chosen_span = INT64_MAX;
    for (int64_t c : candidates) {
      bool ok = true;
      for (size_t y : conflicts) {
        if (!PlacementAllowed(requests, x, c, y, plan.offsets[y])) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const int64_t span = minimize_span ? std::max(hi, c + r.size) - std::min(lo, c) : 0;
      if (span < chosen_span || (span == chosen_span && c < chosen)) chosen = c, chosen_span = span;
    }
    // The end of the highest conflict is always free, so some candidate is chosen.
    plan.offsets[x] = chosen;
    if (!placed.empty() || r.size > 0)
      lo = std::min(lo, chosen), hi = std::max(hi, chosen + r.size);
    if (hi - lo > give_up_above) {  // cannot beat the best plan so far
      plan.arena_bytes = INT64_MAX;
      return plan;
    }
    placed.push_back(x);
  }
  for (int64_t& o : plan.offsets) o -= lo;
  plan.arena_bytes = AlignUp(hi - lo, alignment);
  return plan;
}

}  // namespace

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, int64_t alignment, int max_orders) {
  const size_t n = requests.size();
  auto by = [&](auto key) {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return key(requests[a]) > key(requests[b]); });
    return order;
  };
  // Later-born first places an in-place output before its input, which then
  // settles the permitted distance above it: chains fold that way.
  const auto later_first = [](const BufferRequest& r) { return int64_t{r.first_step}; };
  std::vector<std::vector<size_t>> orders = {
      by([](const BufferRequest& r) { return r.size; }),
      by([&](const BufferRequest& r) { return r.size * 4096 + later_first(r); }),
      by(later_first),
      by([](const BufferRequest& r) { return -static_cast<int64_t>(r.first_step); }),
      by([](const BufferRequest& r) { return int64_t{r.last_step - r.first_step}; }),
      by([](const BufferRequest& r) { return r.size * (r.last_step - r.first_step + 1); }),
  };
  std::mt19937 rng(12345);
  const size_t base_orders = orders.size();
  for (size_t i = 0; i < 2 * base_orders; ++i) {  // perturbed copies of each order
    auto order = orders[i % base_orders];
    for (size_t k = 0; k + 1 < order.size(); ++k) {
      if (rng() % 4 == 0) std::swap(order[k], order[k + 1]);
    }
    orders.push_back(std::move(order));
  }
  if (max_orders > 0 && static_cast<size_t>(max_orders) < orders.size()) orders.resize(max_orders);
  // TF Lite Micro's plan is valid here too, so ours is never worse than the baseline.
  ArenaPlan best = PlanGreedyBySize(requests, alignment);
  for (bool minimize_span : {false, true}) {
    for (const auto& order : orders) {
      ArenaPlan plan = PlaceInOrder(requests, order, alignment, minimize_span, best.arena_bytes);
      if (plan.arena_bytes < best.arena_bytes) best = std::move(plan);
    }
  }
  return best;
}

}  // namespace mcunet
