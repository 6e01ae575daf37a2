// Variable tensors (state) in the arena: PlanWithStateBelow puts persistent
// requests at the arena's start and the lifetime packing above them, unchanged;
// without persistent requests the plan is the packing's own, byte for byte.
#include <gtest/gtest.h>

#include <random>

#include "planner/arena_planner.h"
#include "planner/greedy_planner.h"
#include "planner/memory_plan.h"

namespace mcunet {
namespace {

std::vector<BufferRequest> RandomTable(std::mt19937& rng) {
  std::vector<BufferRequest> r(1 + rng() % 20);
  for (size_t i = 0; i < r.size(); ++i) {
    BufferRequest& b = r[i];
    b.first_step = static_cast<int>(rng() % 12);
    b.last_step = b.first_step + static_cast<int>(rng() % 4);
    b.size = 1 + static_cast<int64_t>(rng() % 3000);
    // An in-place permission towards an earlier buffer that dies where this one starts.
    if (i > 0 && rng() % 3 == 0 && r[i - 1].last_step == b.first_step) {
      b.overlaps = static_cast<int>(i - 1);
      b.overlap_offset = static_cast<int64_t>(rng() % 64);
    }
  }
  return r;
}

TEST(StatePlan, WithoutStateThePlanIsThePackingItself) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    const auto r = RandomTable(rng);
    const auto pack = [](const std::vector<BufferRequest>& q) { return PlanArena(q, 16); };
    const ArenaPlan a = PlanWithStateBelow(r, 16, pack), b = PlanArena(r, 16);
    EXPECT_EQ(a.offsets, b.offsets) << "trial " << trial;
    EXPECT_EQ(a.arena_bytes, b.arena_bytes) << "trial " << trial;
    EXPECT_EQ(StateBytes(r, 16), 0);
  }
}

TEST(StatePlan, StateSitsBelowAnUnchangedPackingAndNeverShares) {
  std::mt19937 rng(8);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<BufferRequest> lifetimes = RandomTable(rng);
    int last = 0;
    for (const auto& b : lifetimes) last = std::max(last, b.last_step);
    // The same table with persistent requests inserted at random positions.
    std::vector<BufferRequest> r;
    std::vector<int> index_in_r;
    for (const BufferRequest& b : lifetimes) {
      while (rng() % 4 == 0) {
        BufferRequest state{1 + static_cast<int64_t>(rng() % 100), 0, last};
        state.persistent = true;
        r.push_back(state);
      }
      index_in_r.push_back(static_cast<int>(r.size()));
      r.push_back(b);
    }
    BufferRequest state{37, 0, last};
    state.persistent = true;
    r.push_back(state);
    for (BufferRequest& b : r) {
      if (b.overlaps >= 0 && !b.persistent) b.overlaps = index_in_r[b.overlaps];
    }
    for (const auto& planner : {std::function<ArenaPlan(const std::vector<BufferRequest>&)>(
                                    [](const auto& q) { return PlanArena(q, 16); }),
                                std::function<ArenaPlan(const std::vector<BufferRequest>&)>(
                                    [](const auto& q) { return PlanGreedyBySize(q, 16); })}) {
      const ArenaPlan plan = PlanWithStateBelow(r, 16, planner);
      const ArenaPlan packed = planner(lifetimes);
      const int64_t state_bytes = StateBytes(r, 16);
      ASSERT_EQ(FindOverlap(r, plan), "") << "trial " << trial;
      EXPECT_EQ(plan.arena_bytes, state_bytes + packed.arena_bytes);
      int64_t next = 0;
      for (size_t i = 0; i < r.size(); ++i) {
        if (!r[i].persistent) continue;
        EXPECT_EQ(plan.offsets[i], next);  // in request order, each aligned
        next += (r[i].size + 15) / 16 * 16;
      }
      EXPECT_EQ(next, state_bytes);
      for (size_t k = 0; k < lifetimes.size(); ++k) {
        EXPECT_EQ(plan.offsets[index_in_r[k]], state_bytes + packed.offsets[k]);
      }
    }
  }
}

}  // namespace
}  // namespace mcunet
