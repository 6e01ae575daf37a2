// The greedy-by-size planner on hand-made lifetime tables (no model), and the
// overlap checker that every plan in the runtime passes through.
#include "planner/greedy_planner.h"

#include <gtest/gtest.h>

#include <random>

#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

// Bytes that must be live at the busiest step: no valid plan is smaller.
int64_t LowerBound(const std::vector<BufferRequest>& r) {
  int last = 0;
  for (const auto& b : r) last = std::max(last, b.last_step);
  int64_t best = 0;
  for (int s = 0; s <= last; ++s) {
    int64_t live = 0;
    for (const auto& b : r) live += (b.first_step <= s && s <= b.last_step) ? b.size : 0;
    best = std::max(best, live);
  }
  return best;
}

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
    EXPECT_GE(plan.arena_bytes, LowerBound(r));
  }
}

// The executor's plan for every shipped model is valid and is at most the arena
// TF Lite Micro needs for the same model (it places the same way, without its
// bookkeeping structures).
TEST(GreedyPlanner, ModelPlansAreValidAndNoLargerThanTflm) {
  for (const auto& stem : testing::GoldenModels()) {
    auto ex = LoadModel(testing::ModelPath(stem));
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    EXPECT_EQ(FindOverlap((*ex)->buffer_requests(), (*ex)->plan()), "") << stem;
    EXPECT_GE((*ex)->arena_bytes(), LowerBound((*ex)->buffer_requests())) << stem;
    const auto manifest = testing::LoadManifest(stem);
    EXPECT_LE((*ex)->arena_bytes(), manifest["tflm"]["arena_used_bytes_x86_32"].get<int64_t>())
        << stem;
  }
}

}  // namespace
}  // namespace mcunet
