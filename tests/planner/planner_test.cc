// The greedy-by-size planner on hand-made lifetime tables (no model), and the
// overlap checker that every plan in the runtime passes through.
#include <gtest/gtest.h>

#include <random>

#include "planner/arena_planner.h"
#include "planner/greedy_planner.h"
#include "planner/memory_plan.h"
#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

TEST(GreedyPlanner, ChainReusesMemoryAcrossSteps) {
  // a -> b -> c: a and c never live together, so c reuses a's bytes.
  const std::vector<BufferRequest> r = {{100, 0, 1}, {50, 1, 2}, {100, 2, 3}};
  const ArenaPlan plan = PlanGreedyBySize(r, 1);
  EXPECT_EQ(plan.arena_bytes, 150);
  EXPECT_EQ(plan.offsets[0], plan.offsets[2]);
  EXPECT_EQ(FindOverlap(r, plan), "");
}

TEST(GreedyPlanner, AlignsOffsets) {
  const std::vector<BufferRequest> r = {{10, 0, 0}, {3, 0, 0}, {5, 0, 0}};
  const ArenaPlan plan = PlanGreedyBySize(r, 16);
  for (int64_t o : plan.offsets) EXPECT_EQ(o % 16, 0);
  EXPECT_EQ(plan.arena_bytes, 48);
}

TEST(GreedyPlanner, CheckerFindsAnOverlap) {
  const std::vector<BufferRequest> r = {{100, 0, 1}, {50, 1, 2}};
  ArenaPlan plan{{0, 60}, 160};
  EXPECT_NE(FindOverlap(r, plan).find("overlap"), std::string::npos);
  plan.offsets = {0, 100};
  EXPECT_EQ(FindOverlap(r, plan), "");
  plan.arena_bytes = 120;
  EXPECT_NE(FindOverlap(r, plan).find("outside"), std::string::npos);
}

TEST(GreedyPlanner, RandomTablesGiveValidPlansAtOrAboveTheLowerBound) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferRequest> r(1 + rng() % 30);
    for (auto& b : r) {
      b.first_step = static_cast<int>(rng() % 20);
      b.last_step = b.first_step + static_cast<int>(rng() % 6);
      b.size = 1 + static_cast<int64_t>(rng() % 5000);
    }
    const ArenaPlan plan = PlanGreedyBySize(r, 4);
    ASSERT_EQ(FindOverlap(r, plan), "") << "trial " << trial;
    EXPECT_GE(plan.arena_bytes, ArenaLowerBound(r));
  }
}

// Every shipped model: both plans pass the checker, ours is never worse than the
// baseline nor below the lower bound, and the baseline (TFLM's placement without
// its bookkeeping structures) is at most TF Lite Micro's measured arena.
TEST(MemoryPlan, ModelPlansAreValidAndOrdered) {
  for (const auto& stem : testing::GoldenModels()) {
    auto ex = LoadModel(testing::ModelPath(stem));
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    const MemoryPlan& mp = (*ex)->memory_plan();
    EXPECT_EQ(FindOverlap(mp.requests, mp.plan), "") << stem;
    EXPECT_EQ(FindOverlap(mp.requests, mp.baseline), "") << stem;
    EXPECT_EQ((*ex)->arena_bytes(), mp.plan.arena_bytes);
    EXPECT_LE(mp.plan.arena_bytes, mp.baseline.arena_bytes) << stem;
    EXPECT_GE(mp.plan.arena_bytes, mp.lower_bound) << stem;
    const auto manifest = testing::LoadManifest(stem);
    EXPECT_LE(mp.baseline.arena_bytes, manifest["tflm"]["arena_used_bytes_x86_32"].get<int64_t>())
        << stem;
  }
}

TEST(ArenaPlanner, UsesAnInPlacePermissionAtItsOffset) {
  // b (60 bytes) may start 8 bytes below a (100 bytes), which dies as b is born.
  std::vector<BufferRequest> r = {{100, 0, 1}, {60, 1, 2}};
  r[1].overlaps = 0;
  r[1].overlap_offset = 8;
  const ArenaPlan plan = PlanArena(r, 1);
  EXPECT_EQ(FindOverlap(r, plan), "");
  EXPECT_EQ(plan.arena_bytes, 108);
  EXPECT_EQ(plan.offsets[0] - plan.offsets[1], 8);
  EXPECT_EQ(ArenaLowerBound(r), 108);
}

TEST(ArenaPlanner, CheckerRefusesAnOverlapCloserThanPermitted) {
  std::vector<BufferRequest> r = {{100, 0, 1}, {60, 1, 2}};
  r[1].overlaps = 0;
  r[1].overlap_offset = 8;
  EXPECT_NE(FindOverlap(r, ArenaPlan{{8, 4}, 112}).find("overlap"), std::string::npos);
  EXPECT_EQ(FindOverlap(r, ArenaPlan{{8, 0}, 112}), "");
  // An output above its input is never permitted.
  EXPECT_NE(FindOverlap(r, ArenaPlan{{0, 20}, 112}).find("overlap"), std::string::npos);
}

TEST(ArenaPlanner, RandomTablesWithPermissionsGiveValidPlansNoWorseThanGreedy) {
  std::mt19937 rng(7);
  int better = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 2 + static_cast<int>(rng() % 25);
    std::vector<BufferRequest> r;
    for (int i = 0; i < n; ++i) {  // a chain with side buffers
      BufferRequest b{1 + static_cast<int64_t>(rng() % 4000), i,
                      i + 1 + static_cast<int>(rng() % 2)};
      if (i > 0 && r[i - 1].last_step == i && rng() % 2) {
        b.overlaps = i - 1;
        b.overlap_offset = static_cast<int64_t>(rng() % 200);
      }
      r.push_back(b);
    }
    const ArenaPlan ours = PlanArena(r, 4), greedy = PlanGreedyBySize(r, 4);
    ASSERT_EQ(FindOverlap(r, ours), "") << trial;
    EXPECT_LE(ours.arena_bytes, greedy.arena_bytes) << trial;
    EXPECT_GE(ours.arena_bytes, ArenaLowerBound(r)) << trial;
    better += ours.arena_bytes < greedy.arena_bytes;
  }
  EXPECT_GT(better, 0);
}

}  // namespace
}  // namespace mcunet

namespace mcunet {
namespace {

// Where the graph branches (ResNet-8's strided shortcut convolutions), the order
// search returns a valid topological order whose arena is no larger than the
// model's own order.
TEST(Schedule, OrderSearchKeepsDependenciesAndNeverLosesMemory) {
  LoadOptions fixed;
  fixed.plan.search_order = false;
  auto searched = LoadModel(testing::ModelPath("mlperf_tiny_ic_resnet8_int8"));
  auto original = LoadModel(testing::ModelPath("mlperf_tiny_ic_resnet8_int8"), fixed);
  ASSERT_TRUE(searched.ok() && original.ok());
  const Graph& g = (*searched)->graph();
  std::vector<bool> ready(g.tensors.size(), false);
  for (int t : g.inputs) ready[t] = true;
  for (const Node& node : g.nodes) {
    for (int t : node.inputs) {
      EXPECT_TRUE(t < 0 || g.tensors[t].is_constant || ready[t]) << NodeLabel(node);
    }
    for (int t : node.outputs) ready[t] = true;
  }
  EXPECT_LE((*searched)->arena_bytes(), (*original)->arena_bytes());
}

}  // namespace
}  // namespace mcunet
