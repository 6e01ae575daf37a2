// The TinyNAS search space and stage 1.
#include "nas/search_space.h"

#include <gtest/gtest.h>

#include "arch/arch_builder.h"
#include "nas/memory_model.h"
#include "nas/stage1.h"
#include "runtime/executor.h"
#include "test_data.h"

namespace mcunet {
namespace {

TEST(SearchSpace, MakeDivisibleFollowsTheUsualRule) {
  EXPECT_EQ(MakeDivisible(32 * 0.5), 16);
  EXPECT_EQ(MakeDivisible(24 * 0.3), 8);    // never below the divisor
  EXPECT_EQ(MakeDivisible(40 * 0.35), 16);  // 14 -> 16
  EXPECT_EQ(MakeDivisible(12), 16);         // 8 would be below 90% of 12
}

TEST(SearchSpace, SampledArchsAreValidAndPlanInEverySpaceShape) {
  std::mt19937 rng(5);
  for (const SearchSpace& space : {SearchSpace{0.2, 48, 3, 1000}, SearchSpace{1.0, 96, 3, 1000},
                                   SearchSpace{0.5, 32, 1, 10}}) {
    for (int i = 0; i < 20; ++i) {
      const ArchGenome g = SampleGenome(rng);
      for (int s = 0; s < kStages; ++s) {
        EXPECT_GE(g.depth[s], 2);
        EXPECT_LE(g.depth[s], 4);
      }
      const ArchConfig arch = GenomeToArch(g, space);
      // Residual only where stride 1 and channels match.
      for (const MBConvConfig& b : arch.blocks) {
        EXPECT_EQ(b.residual, b.stride == 1 && b.in_channels == b.out_channels);
      }
      CostOptions o;
      o.input_channels = space.input_channels;
      auto cost = MeasureArch(arch, o);
      ASSERT_TRUE(cost.ok()) << cost.status().message();
      EXPECT_GT(cost->peak_sram_bytes, 0);
      EXPECT_GT(cost->flash_bytes, kCodeBytesEstimate);
    }
  }
}

// The memory model is the engine: a shape-only measure equals the arena of the
// fully built (weights and all) graph planned by the executor.
TEST(SearchSpace, MemoryModelEqualsTheExecutorsArena) {
  std::mt19937 rng(6);
  const SearchSpace space{0.4, 96, 3, 100};
  for (int i = 0; i < 5; ++i) {
    const ArchConfig arch = GenomeToArch(SampleGenome(rng), space);
    auto cost = MeasureArch(arch);
    auto graph = BuildArchGraph(arch);
    ASSERT_TRUE(cost.ok() && graph.ok());
    PlanOptions plan;
    plan.placement_orders = 3;
    auto ex = Executor::Create(std::move(graph).value(), plan);
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    EXPECT_EQ(cost->peak_sram_bytes, (*ex)->arena_bytes());
  }
}

TEST(SearchSpace, JsonRoundTripsThroughTheReader) {
  std::mt19937 rng(8);
  const ArchConfig arch = GenomeToArch(SampleGenome(rng), SearchSpace{0.6, 128, 3, 1000});
  auto back = ParseArchJson(ArchToJson(arch));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ArchToJson(*back), ArchToJson(arch));
  EXPECT_EQ(ArchTrainingParams(*back), ArchTrainingParams(arch));
  // Released networks survive the round trip too.
  auto released = ReadArchFile(testing::SourcePath("archs/mcunet-320kb-1mb_imagenet.json"));
  ASSERT_TRUE(released.ok());
  auto again = ParseArchJson(ArchToJson(*released));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(ArchTrainingParams(*again), ArchTrainingParams(*released));
}

TEST(SearchSpace, MutationAndCrossoverStayInTheSpace) {
  std::mt19937 rng(9);
  const ArchGenome a = SampleGenome(rng), b = SampleGenome(rng);
  EXPECT_EQ(Mutate(a, 0.0, rng), a);
  int changed = 0;
  for (int i = 0; i < 20; ++i) changed += !(Mutate(a, 0.5, rng) == a);
  EXPECT_GT(changed, 15);
  const ArchGenome c = Crossover(a, b, rng);
  for (int s = 0; s < kStages; ++s) {
    EXPECT_TRUE(c.depth[s] == a.depth[s] || c.depth[s] == b.depth[s]);
    for (int k = 0; k < kMaxDepth; ++k) {
      EXPECT_TRUE(c.kernel[s][k] == a.kernel[s][k] || c.kernel[s][k] == b.kernel[s][k]);
    }
  }
}

TEST(Stage1, SameSeedSameTableAndThreadsDoNotMatter) {
  SpaceGrid grid{{0.3, 0.5}, {64, 96}, 1, 10};
  Stage1Options o;
  o.sram_bytes = 64 * 1024, o.flash_bytes = 256 * 1024, o.samples = 12, o.seed = 3;
  o.threads = 2;
  auto a = RunStage1(grid, o);
  o.threads = 1;
  auto b = RunStage1(grid, o);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().message();
  ASSERT_EQ(a->spaces.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(a->spaces[i].width, b->spaces[i].width);
    EXPECT_EQ(a->spaces[i].resolution, b->spaces[i].resolution);
    EXPECT_EQ(a->spaces[i].fitting_macs, b->spaces[i].fitting_macs);
  }
  EXPECT_GE(a->spaces[0].mean_macs, a->spaces[1].mean_macs);  // ranked
}

TEST(Stage1, ImpossibleBudgetIsAClearError) {
  SpaceGrid grid{{0.3}, {64}, 1, 10};
  Stage1Options o;
  o.sram_bytes = 1024, o.flash_bytes = 1024, o.samples = 5;
  auto r = RunStage1(grid, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no sampled network of any space fits"), std::string::npos);
}

// Hand-made ranking (highest mean MACs first, as RunStage1 returns it).
TEST(Stage1, PickSpaceTakesTheMostMacsUnderTheLimit) {
  const auto space = [](double w, int r, int fit, double macs) {
    SpaceStats s;
    s.width = w, s.resolution = r, s.fit = fit, s.mean_macs = macs;
    return s;
  };
  Stage1Result ranked;
  ranked.spaces = {space(0.5, 64, 40, 7.4e6), space(0.4, 56, 200, 5.7e6),
                   space(0.5, 48, 50, 4.6e6), space(0.3, 64, 100, 3.8e6), space(0.9, 96, 0, 0)};
  EXPECT_EQ(PickSpace(ranked, 0).resolution, 64);  // no limit: stage 1's best
  EXPECT_EQ(PickSpace(ranked, 0).width, 0.5);
  const SpaceStats& capped = PickSpace(ranked, 5e6);
  EXPECT_EQ(capped.width, 0.5);
  EXPECT_EQ(capped.resolution, 48);
  EXPECT_EQ(PickSpace(ranked, 4.6e6).resolution, 48);  // the limit itself is allowed
  // Every fitting space above the limit: the cheapest of them, never one where nothing fits.
  EXPECT_EQ(PickSpace(ranked, 1e6).width, 0.3);
}

// full at 128 kB: w0.6-r40 sits just under the limit on the strength of the one
// network in 1,000 that fit; w0.5-r48, 1 % fewer mean MACs with 164 fitting, is the space.
TEST(Stage1, PickSpacePassesOverSpacesWhereFewerThanOneInAHundredFit) {
  const auto space = [](double w, int r, int fit, double macs) {
    SpaceStats s;
    s.width = w, s.resolution = r, s.samples = 1000, s.fit = fit, s.mean_macs = macs;
    return s;
  };
  Stage1Result ranked;
  ranked.spaces = {space(0.5, 64, 154, 7.6e6), space(0.6, 40, 1, 4.79e6), space(0.5, 48, 164, 4.73e6),
                   space(0.2, 64, 10, 2.9e6)};
  EXPECT_EQ(PickSpace(ranked, 5e6).width, 0.5);
  EXPECT_EQ(PickSpace(ranked, 5e6).resolution, 48);
  EXPECT_EQ(PickSpace(ranked, 3e6).width, 0.2);  // exactly 1 in 100 is enough
  ranked.spaces[2].fit = 9;
  ranked.spaces[3].fit = 9;
  // Nothing under the limit fits well enough: the best-fitting spaces above it come first.
  EXPECT_EQ(PickSpace(ranked, 5e6).resolution, 64);
  EXPECT_EQ(PickSpace(ranked, 5e6).width, 0.5);
  // Only thin spaces: the rule gives way rather than leave stage 2 without a space.
  ranked.spaces[0].fit = 3;
  EXPECT_EQ(PickSpace(ranked, 5e6).width, 0.6);
}

}  // namespace
}  // namespace mcunet
