// Evolution and random search under the planner's fit check, with synthetic
// fitness functions (no training): constraints, determinism, resume, the
// Pareto front, impossible budgets; and the scaled MobileNetV2 baseline.
#include "nas/evolution.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "arch/arch.h"
#include "nas/baselines.h"
#include "test_data.h"

namespace mcunet {
namespace {

const SearchSpace kSpace{0.5, 32, 1, 10};
const Constraints kBudget{16 * 1024, 450 * 1024};

// Rewards closeness to a target network that fits; rugged enough to need search.
double Closeness(const ArchGenome& g) {
  static const ArchGenome target = [] {
    ArchGenome t = SmallestGenome();
    t.depth = {3, 2, 4, 2, 2};
    for (int s = 0; s < kStages; ++s) t.kernel[s] = {5, 7, 3, 5};
    return t;
  }();
  double score = 0;
  for (int s = 0; s < kStages; ++s) {
    score -= std::abs(g.depth[s] - target.depth[s]);
    for (int b = 0; b < kMaxDepth; ++b) {
      score -= 0.25 * std::abs(g.kernel[s][b] - target.kernel[s][b]) / 2;
      score -= 0.1 * std::abs(g.expand[s][b] - 3);
    }
  }
  return 1.0 / (1.0 - score);
}

FitnessFn Fitness() {
  return [](const ArchGenome& g) -> Expected<double> { return Closeness(g); };
}

EvolutionOptions Small() {
  EvolutionOptions o;
  o.population = 16;
  o.generations = 5;
  o.seed = 3;
  return o;
}

TEST(Evolution, EveryEvaluatedNetworkFitsAsThePlannerMeasuresIt) {
  SpaceSearch search(kSpace, kBudget, Fitness());
  SearchState state;
  auto best = search.Evolve(Small(), state);
  ASSERT_TRUE(best.ok()) << best.status().message();
  ASSERT_GE(state.evaluated.size(), 16u);
  for (const Candidate& c : state.evaluated) {
    // Independently re-measured: the fit is the planner's, not a cached guess.
    CostOptions o;
    o.input_channels = 1;
    auto cost = MeasureArch(GenomeToArch(c.genome, kSpace), o);
    ASSERT_TRUE(cost.ok());
    EXPECT_EQ(cost->peak_sram_bytes, c.cost.peak_sram_bytes);
    EXPECT_LE(cost->peak_sram_bytes, kBudget.sram_bytes);
    EXPECT_LE(cost->flash_bytes, kBudget.flash_bytes);
  }
  EXPECT_EQ(state.best_per_generation.size(), 5u);
  // Parents survive: the best never gets worse from one generation to the next.
  for (size_t i = 1; i < state.best_per_generation.size(); ++i) {
    EXPECT_GE(state.best_per_generation[i], state.best_per_generation[i - 1]);
  }
}

TEST(Evolution, BeatsRandomSearchWithTheSameEvaluations) {
  int wins = 0;
  double evolved = 0, random = 0;  // summed best fitness over the seeds
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    EvolutionOptions o = Small();
    o.seed = seed;
    SpaceSearch evo(kSpace, kBudget, Fitness());
    SearchState es;
    auto e = evo.Evolve(o, es);
    ASSERT_TRUE(e.ok());
    SpaceSearch rnd(kSpace, kBudget, Fitness());
    SearchState rs;
    auto r = rnd.RandomSearch(static_cast<int>(es.evaluated.size()), seed + 100, rs);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(rs.evaluated.size(), es.evaluated.size());
    wins += e->fitness > r->fitness;
    evolved += e->fitness, random += r->fitness;
    std::printf("seed %u: evolution %.4f, random %.4f\n", seed, e->fitness, r->fitness);
  }
  // Better on average, and on at least half the seeds: built with clang the evolution
  // takes another path than with GCC (same random search) and ties seed 3, loses seed 4.
  EXPECT_GT(evolved, random);
  EXPECT_GE(wins, 2);
}

TEST(Evolution, ResumedFromSavedStateEqualsAnUninterruptedRun) {
  SpaceSearch straight(kSpace, kBudget, Fitness());
  SearchState full;
  ASSERT_TRUE(straight.Evolve(Small(), full).ok());

  // Stop after 7 evaluations (a kill), keep only what was saved, then resume.
  std::string saved;
  int calls = 0;
  FitnessFn dying = [&](const ArchGenome& g) -> Expected<double> {
    if (++calls > 7) return Status::Error("killed");
    return Closeness(g);
  };
  SpaceSearch first(kSpace, kBudget, dying);
  SearchState partial;
  auto killed =
      first.Evolve(Small(), partial, [&](const SearchState& s) { saved = SearchStateToJson(s); });
  ASSERT_FALSE(killed.ok());
  auto restored = SearchStateFromJson(saved);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->evaluated.size(), 7u);
  SpaceSearch second(kSpace, kBudget, Fitness());
  ASSERT_TRUE(second.Evolve(Small(), *restored).ok());
  ASSERT_EQ(restored->evaluated.size(), full.evaluated.size());
  for (size_t i = 0; i < full.evaluated.size(); ++i) {
    EXPECT_EQ(GenomeKey(restored->evaluated[i].genome), GenomeKey(full.evaluated[i].genome)) << i;
  }
  EXPECT_EQ(restored->best_per_generation, full.best_per_generation);
}

// Every child is a network not evaluated before, so each generation after the
// first spends all its slots but the parents' on new networks. A flat fitness
// is the hardest case: the parents never change, and copies of them abound.
TEST(Evolution, EveryChildIsANetworkNotEvaluatedBefore) {
  for (const FitnessFn& fitness :
       {Fitness(), FitnessFn([](const ArchGenome&) -> Expected<double> { return 0.9; })}) {
    SpaceSearch search(kSpace, kBudget, fitness);
    const EvolutionOptions o = Small();
    SearchState state;
    ASSERT_TRUE(search.Evolve(o, state).ok());
    const int parents = static_cast<int>(o.population * o.parents_fraction);
    EXPECT_EQ(state.evaluated.size(),
              static_cast<size_t>(o.population + (o.generations - 1) * (o.population - parents)));
  }
}

TEST(Evolution, ImpossibleBudgetNamesWhatTheSmallestNetworkNeeds) {
  SpaceSearch search(kSpace, Constraints{1024, 450 * 1024}, Fitness());
  SearchState state;
  EvolutionOptions o = Small();
  o.max_resample = 50;
  auto best = search.Evolve(o, state);
  ASSERT_FALSE(best.ok());
  EXPECT_NE(best.status().message().find("no network of the space w0.5-r32 fits SRAM 1024 B"),
            std::string::npos)
      << best.status().message();
  EXPECT_NE(best.status().message().find("its smallest network needs SRAM"), std::string::npos);
}

TEST(Evolution, ParetoFrontIsExactlyTheNonDominatedSet) {
  SpaceSearch search(kSpace, kBudget, Fitness());
  SearchState state;
  ASSERT_TRUE(search.RandomSearch(40, 9, state).ok());
  const std::vector<Candidate> front = ParetoFront(state.evaluated);
  ASSERT_FALSE(front.empty());
  const auto dominates = [](const Candidate& a, const Candidate& b) {
    return a.fitness >= b.fitness && a.cost.peak_sram_bytes <= b.cost.peak_sram_bytes &&
           (a.fitness > b.fitness || a.cost.peak_sram_bytes < b.cost.peak_sram_bytes);
  };
  for (const Candidate& c : state.evaluated) {
    bool dominated = false;
    for (const Candidate& d : state.evaluated) dominated |= dominates(d, c);
    bool on_front = false;
    for (const Candidate& f : front) {
      on_front |= GenomeKey(f.genome) == GenomeKey(c.genome);
    }
    if (on_front) EXPECT_FALSE(dominated) << GenomeKey(c.genome);
    if (!dominated) {
      // Ties in both axes keep one representative.
      bool represented = on_front;
      for (const Candidate& f : front) {
        represented |= f.fitness == c.fitness && f.cost.peak_sram_bytes == c.cost.peak_sram_bytes;
      }
      EXPECT_TRUE(represented) << GenomeKey(c.genome);
    }
  }
}

Candidate WithFitnessAndMacs(double fitness, int64_t macs) {
  Candidate c;
  c.genome = SmallestGenome();
  c.fitness = fitness;
  c.cost.macs = macs;
  return c;
}

TEST(Evolution, KeepsTheMostMacsAmongNetworksTiedWithinOneStandardError) {
  // Best 0.900: on 10,000 images one standard error is sqrt(0.9 * 0.1 / 1e4) = 0.0030,
  // so 0.899 ties with it and 0.890 does not; on 100,000 images it is 0.00095 and
  // 0.899 no longer ties.
  const std::vector<Candidate> evaluated = {
      WithFitnessAndMacs(0.900, 1'000'000), WithFitnessAndMacs(0.899, 3'000'000),
      WithFitnessAndMacs(0.890, 9'000'000), WithFitnessAndMacs(0.8975, 3'000'000)};
  const Candidate tied = MostMacsAmongTies(evaluated, 10'000);
  EXPECT_EQ(tied.cost.macs, 3'000'000);
  EXPECT_DOUBLE_EQ(tied.fitness, 0.899);  // equal MACs: the higher fitness
  const Candidate strict = MostMacsAmongTies(evaluated, 100'000);
  EXPECT_EQ(strict.cost.macs, 1'000'000);
  EXPECT_DOUBLE_EQ(strict.fitness, 0.900);
}

double MeanMacs(SpaceSearch& search, const std::vector<ArchGenome>& population) {
  double sum = 0;
  for (const ArchGenome& g : population) sum += static_cast<double>(search.Cost(g)->macs);
  return sum / static_cast<double>(population.size());
}

// A supernet that cannot order the networks (every fitness equal): plain
// selection takes parents in population order and wanders; tie-aware selection
// takes the biggest and climbs in MACs.
TEST(Evolution, TieAwareSelectionClimbsInMacsAmongNetworksTheFitnessCannotOrder) {
  const FitnessFn flat = [](const ArchGenome&) -> Expected<double> { return 0.9; };
  const auto run = [&](int64_t tie_images, double* first_mean) {
    SpaceSearch search(kSpace, kBudget, flat);
    EvolutionOptions o = Small();
    o.tie_holdout_images = tie_images;
    SearchState state;
    EXPECT_TRUE(search.Evolve(o, state).ok());
    std::vector<ArchGenome> first;
    for (int i = 0; i < o.population; ++i) first.push_back(state.evaluated[i].genome);
    if (first_mean) *first_mean = MeanMacs(search, first);
    return MeanMacs(search, state.population);  // the last generation
  };
  double first = 0;
  const double tie_aware = run(10000, &first), plain = run(0, nullptr);
  // The room above the first generation depends on how many networks fit the
  // budget (its Flash counts kCodeBytesEstimate): 5 % is a climb; 10 % above plain.
  EXPECT_GT(tie_aware, 1.05 * first) << plain;
  EXPECT_GT(tie_aware, 1.1 * plain) << first;
}

// The fittest network always stays a parent: the best never gets worse, even
// when most of the population counts as tied with it (100 images: ±3 points).
TEST(Evolution, TieAwareSelectionKeepsTheFittestAsAParent) {
  SpaceSearch search(kSpace, kBudget, Fitness());
  EvolutionOptions o = Small();
  o.tie_holdout_images = 100;
  SearchState state;
  ASSERT_TRUE(search.Evolve(o, state).ok());
  ASSERT_EQ(state.best_per_generation.size(), 5u);
  for (size_t i = 1; i < state.best_per_generation.size(); ++i) {
    EXPECT_GE(state.best_per_generation[i], state.best_per_generation[i - 1]);
  }
}

// The log names the count "training_params" (analyze's "params" counts the
// int8 weights); logs written before say "params" and still resume.
TEST(Evolution, StateJsonNamesTrainingParamsAndReadsOldLogs) {
  SearchState s;
  s.rng_state = "1";
  Candidate c;
  c.genome = SmallestGenome();
  c.cost.params = 12345;
  s.evaluated.push_back(c);
  const std::string text = SearchStateToJson(s);
  EXPECT_NE(text.find("\"training_params\": 12345"), std::string::npos) << text;
  auto back = SearchStateFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->evaluated.at(0).cost.params, 12345);
  std::string old = text;
  old.replace(old.find("training_params"), 15, "params");
  auto old_back = SearchStateFromJson(old);
  ASSERT_TRUE(old_back.ok()) << old_back.status().message();
  EXPECT_EQ(old_back->evaluated.at(0).cost.params, 12345);
}

TEST(Evolution, StateJsonRejectsChoicesOutsideTheSpace) {
  SearchState s;
  ArchGenome g = SmallestGenome();
  g.kernel[0][0] = 4;
  s.population.push_back(g);
  auto back = SearchStateFromJson(SearchStateToJson(s));
  EXPECT_FALSE(back.ok());
  EXPECT_FALSE(SearchStateFromJson("{\"generation\": 1}").ok());
}

// MCUNet's released baseline mbv2-w0.35-r144 is our MobileNetV2 at w 0.35.
TEST(Baselines, MobileNetV2MatchesTheReleasedScaledConfig) {
  auto released = ReadArchFile(testing::SourcePath("archs/mbv2-w0.35-r144_imagenet.json"));
  ASSERT_TRUE(released.ok()) << released.status().message();
  const ArchConfig ours = MobileNetV2Arch(0.35, 144, 3, 1000);
  EXPECT_EQ(ours.first_conv.out_channels, released->first_conv.out_channels);
  ASSERT_EQ(ours.blocks.size(), released->blocks.size());
  for (size_t i = 0; i < ours.blocks.size(); ++i) {
    const MBConvConfig &a = ours.blocks[i], &b = released->blocks[i];
    EXPECT_EQ(a.in_channels, b.in_channels) << i;
    EXPECT_EQ(a.out_channels, b.out_channels) << i;
    EXPECT_EQ(a.stride, b.stride) << i;
    EXPECT_EQ(a.expand_ratio, b.expand_ratio) << i;
    EXPECT_EQ(a.mid_channels, b.mid_channels) << i;
    EXPECT_EQ(a.kernel_size, b.kernel_size) << i;
    EXPECT_EQ(a.residual, b.residual) << i;
  }
  ASSERT_TRUE(released->feature_mix.has_value());
  EXPECT_EQ(ours.feature_mix->out_channels, released->feature_mix->out_channels);
  auto a = MeasureArch(ours), b = MeasureArch(*released);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->macs, b->macs);
  EXPECT_EQ(a->params, b->params);
}

TEST(Baselines, ScaledMobileNetV2IsTheLargestThatFits) {
  const std::vector<double> widths = {0.2, 0.3, 0.4, 0.5};
  const std::vector<int> resolutions = {32, 40};
  auto best = ScaleMobileNetV2(widths, resolutions, 1, 10, kBudget);
  ASSERT_TRUE(best.ok()) << best.status().message();
  EXPECT_LE(best->cost.peak_sram_bytes, kBudget.sram_bytes);
  EXPECT_LE(best->cost.flash_bytes, kBudget.flash_bytes);
  for (double w : widths) {
    for (int r : resolutions) {
      CostOptions o;
      o.input_channels = 1;
      auto c = MeasureArch(MobileNetV2Arch(w, r, 1, 10), o);
      ASSERT_TRUE(c.ok());
      if (c->peak_sram_bytes <= kBudget.sram_bytes && c->flash_bytes <= kBudget.flash_bytes) {
        EXPECT_LE(c->macs, best->cost.macs) << "w" << w << " r" << r;
      }
    }
  }
  auto none = ScaleMobileNetV2(widths, resolutions, 1, 10, Constraints{512, 4096});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no scaled MobileNetV2"), std::string::npos);
}

}  // namespace
}  // namespace mcunet
