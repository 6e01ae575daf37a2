#include "nas/evolution.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

namespace mcunet {
namespace {

using nlohmann::json;

std::string RngToString(const std::mt19937& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}

std::mt19937 RngFromString(const std::string& text, uint32_t seed) {
  std::mt19937 rng(seed);
  if (!text.empty()) {
    std::istringstream in(text);
    in >> rng;
  }
  return rng;
}

json GenomeJson(const ArchGenome& g) {
  return {{"depth", g.depth}, {"kernel", g.kernel}, {"expand", g.expand}};
}

ArchGenome GenomeFromJson(const json& j) {
  ArchGenome g;
  g.depth = j.at("depth").get<decltype(g.depth)>();
  g.kernel = j.at("kernel").get<decltype(g.kernel)>();
  g.expand = j.at("expand").get<decltype(g.expand)>();
  return g;
}

bool ValidGenome(const ArchGenome& g) {
  const auto in = [](int v, const auto& choices) {
    return std::find(choices.begin(), choices.end(), v) != choices.end();
  };
  for (int s = 0; s < kStages; ++s) {
    if (!in(g.depth[s], kDepthChoices)) return false;
    for (int b = 0; b < kMaxDepth; ++b) {
      if (!in(g.kernel[s][b], kKernelChoices) || !in(g.expand[s][b], kExpandChoices)) return false;
    }
  }
  return true;
}

}  // namespace

std::string GenomeKey(const ArchGenome& g) {
  std::string d, k, e;
  for (int s = 0; s < kStages; ++s) {
    d += fmt::format("{}{}", s ? "," : "", g.depth[s]);
    // Choices of blocks beyond the depth do not change the network.
    for (int b = 0; b < g.depth[s]; ++b) {
      k += fmt::format("{}{}", k.empty() ? "" : ",", g.kernel[s][b]);
      e += fmt::format("{}{}", e.empty() ? "" : ",", g.expand[s][b]);
    }
  }
  return "d" + d + " k" + k + " e" + e;
}

namespace {
// Every choice the first (smallest) or the last (largest) of its list.
ArchGenome ExtremeGenome(bool largest) {
  const auto pick = [largest](const auto& choices) {
    return largest ? choices.back() : choices.front();
  };
  ArchGenome g;
  for (int s = 0; s < kStages; ++s) {
    g.depth[s] = pick(kDepthChoices);
    g.kernel[s].fill(pick(kKernelChoices));
    g.expand[s].fill(pick(kExpandChoices));
  }
  return g;
}
}  // namespace

ArchGenome SmallestGenome() { return ExtremeGenome(false); }
ArchGenome LargestGenome() { return ExtremeGenome(true); }

SpaceSearch::SpaceSearch(SearchSpace space, Constraints constraints, FitnessFn fitness)
    : space_(space), constraints_(constraints), fitness_(std::move(fitness)) {}

Expected<ArchCost> SpaceSearch::Cost(const ArchGenome& genome) {
  const std::string key = GenomeKey(genome);
  if (auto it = costs_.find(key); it != costs_.end()) return it->second;
  CostOptions o;
  o.input_channels = space_.input_channels;
  MCUNET_ASSIGN_OR_RETURN(ArchCost cost, MeasureArch(GenomeToArch(genome, space_), o));
  costs_.emplace(key, cost);
  return cost;
}

Expected<bool> SpaceSearch::Fits(const ArchGenome& genome) {
  MCUNET_ASSIGN_OR_RETURN(ArchCost cost, Cost(genome));
  return cost.peak_sram_bytes <= constraints_.sram_bytes &&
         cost.flash_bytes <= constraints_.flash_bytes;
}

Expected<ArchGenome> SpaceSearch::SampleFitting(std::mt19937& rng, int max_resample) {
  for (int i = 0; i < max_resample; ++i) {
    ArchGenome g = SampleGenome(rng);
    MCUNET_ASSIGN_OR_RETURN(bool fits, Fits(g));
    if (fits) return g;
  }
  MCUNET_ASSIGN_OR_RETURN(ArchCost smallest, Cost(SmallestGenome()));
  return Status::Error(fmt::format(
      "no network of the space w{}-r{} fits SRAM {} B / Flash {} B after {} draws; its smallest "
      "network needs SRAM {} B / Flash {} B",
      space_.width, space_.resolution, constraints_.sram_bytes, constraints_.flash_bytes,
      max_resample, smallest.peak_sram_bytes, smallest.flash_bytes));
}

Expected<double> SpaceSearch::Evaluate(const ArchGenome& genome, SearchState& state) {
  const std::string key = GenomeKey(genome);
  for (const Candidate& c : state.evaluated) {
    if (GenomeKey(c.genome) == key) return c.fitness;
  }
  MCUNET_ASSIGN_OR_RETURN(ArchCost cost, Cost(genome));
  MCUNET_ASSIGN_OR_RETURN(double fitness, fitness_(genome));
  state.evaluated.push_back({genome, cost, fitness});
  return fitness;
}

Expected<Candidate> SpaceSearch::Evolve(const EvolutionOptions& o, SearchState& state,
                                        const std::function<void(const SearchState&)>& on_update,
                                        const ProgressFn& progress) {
  if (o.population < 2 || o.generations < 1) {
    return Status::Error("evolution needs a population of at least 2 and one generation");
  }
  if (o.parents_fraction <= 0 || o.parents_fraction > 1 || o.mutation_probability < 0 ||
      o.mutation_probability > 1 || o.crossover_share < 0 || o.crossover_share > 1) {
    return Status::Error(
        "evolution: parents fraction must be in (0, 1], mutation probability and crossover "
        "share in [0, 1]");
  }
  const auto save = [&] {
    if (on_update) on_update(state);
  };
  std::mt19937 rng = RngFromString(state.rng_state, o.seed);
  if (state.population.empty()) {
    while (static_cast<int>(state.population.size()) < o.population) {
      MCUNET_ASSIGN_OR_RETURN(ArchGenome g, SampleFitting(rng, o.max_resample));
      state.population.push_back(g);
    }
    state.rng_state = RngToString(rng);
    save();
  }
  const int parents_count = std::max(1, static_cast<int>(o.population * o.parents_fraction));
  const int children = o.population - parents_count;
  const int crossovers = static_cast<int>(children * o.crossover_share + 0.5);
  const int total = o.generations * o.population;
  while (state.generation < o.generations) {
    struct Scored {
      double fitness;
      int64_t macs;
      ArchGenome genome;
    };
    std::vector<Scored> scored;
    for (size_t i = 0; i < state.population.size(); ++i) {
      const size_t before = state.evaluated.size();
      MCUNET_ASSIGN_OR_RETURN(double f, Evaluate(state.population[i], state));
      if (state.evaluated.size() != before) save();
      MCUNET_ASSIGN_OR_RETURN(ArchCost cost, Cost(state.population[i]));
      scored.push_back({f, cost.macs, state.population[i]});
      if (progress) progress(state.generation * o.population + static_cast<int>(i) + 1, total);
    }
    // Stable: equal fitness keeps population order, so the search is reproducible.
    std::stable_sort(scored.begin(), scored.end(),
                     [](const Scored& a, const Scored& b) { return a.fitness > b.fitness; });
    if (o.tie_holdout_images > 0) {
      // The fittest keeps its place; the ties behind it go most MACs first.
      const double best = scored.front().fitness;
      const double floor = best - AccuracyStandardError(best, o.tie_holdout_images);
      const auto tied_end = std::find_if(scored.begin(), scored.end(),
                                         [&](const Scored& c) { return c.fitness < floor; });
      std::stable_sort(scored.begin() + 1, tied_end,
                       [](const Scored& a, const Scored& b) { return a.macs > b.macs; });
    }
    state.best_per_generation.push_back(scored.front().fitness);
    ++state.generation;
    if (state.generation < o.generations) {
      std::vector<ArchGenome> next;
      for (int i = 0; i < parents_count; ++i) next.push_back(scored[i].genome);
      // Children must be networks not seen before: a converged population breeds
      // copies of networks already evaluated (docs/nas-results.md), and a copy
      // spends a slot without exploring anything.
      std::set<std::string> seen;
      for (const Candidate& c : state.evaluated) seen.insert(GenomeKey(c.genome));
      for (const ArchGenome& g : next) seen.insert(GenomeKey(g));
      const auto parent = [&] { return next[rng() % parents_count]; };
      for (int i = 0; i < children; ++i) {
        const bool cross = i < crossovers;
        std::optional<ArchGenome> child;
        for (int t = 0; t < o.max_resample && !child; ++t) {
          ArchGenome c = cross ? Crossover(parent(), parent(), rng)
                               : Mutate(parent(), o.mutation_probability, rng);
          if (seen.count(GenomeKey(c))) continue;
          MCUNET_ASSIGN_OR_RETURN(bool fits, Fits(c));
          if (fits) child = c;
        }
        // Parents that cannot produce a new fitting child: a fresh draw, new if
        // one of a few is (a tiny space may have no new network left).
        constexpr int kFreshDraws = 100;
        for (int t = 0; t < kFreshDraws && !child; ++t) {
          MCUNET_ASSIGN_OR_RETURN(ArchGenome g, SampleFitting(rng, o.max_resample));
          if (!seen.count(GenomeKey(g)) || t + 1 == kFreshDraws) child = g;
        }
        seen.insert(GenomeKey(*child));
        next.push_back(*child);
      }
      state.population = std::move(next);
    }
    state.rng_state = RngToString(rng);
    save();
  }
  const Candidate* best = nullptr;
  for (const Candidate& c : state.evaluated) {
    if (best == nullptr || c.fitness > best->fitness) best = &c;
  }
  return *best;
}

Expected<Candidate> SpaceSearch::RandomSearch(
    int evaluations, uint32_t seed, SearchState& state,
    const std::function<void(const SearchState&)>& on_update, const ProgressFn& progress) {
  if (evaluations < 1) return Status::Error("random search needs at least one evaluation");
  std::mt19937 rng = RngFromString(state.rng_state, seed);
  int draws = 0;
  while (static_cast<int>(state.evaluated.size()) < evaluations) {
    MCUNET_ASSIGN_OR_RETURN(ArchGenome g, SampleFitting(rng, 2000));
    // Duplicates count once, as in the evolution's cache; give up on tiny spaces.
    if (++draws > 100 * evaluations) break;
    const size_t before = state.evaluated.size();
    MCUNET_ASSIGN_OR_RETURN(double f, Evaluate(g, state));
    (void)f;
    state.rng_state = RngToString(rng);
    if (state.evaluated.size() != before && on_update) on_update(state);
    if (progress) progress(static_cast<int>(state.evaluated.size()), evaluations);
  }
  state.generation = 1;
  const Candidate* best = nullptr;
  for (const Candidate& c : state.evaluated) {
    if (best == nullptr || c.fitness > best->fitness) best = &c;
  }
  return *best;
}

std::vector<Candidate> ParetoFront(const std::vector<Candidate>& candidates) {
  std::vector<Candidate> sorted = candidates;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Candidate& a, const Candidate& b) {
    if (a.cost.peak_sram_bytes != b.cost.peak_sram_bytes) {
      return a.cost.peak_sram_bytes < b.cost.peak_sram_bytes;
    }
    return a.fitness > b.fitness;
  });
  std::vector<Candidate> front;
  for (const Candidate& c : sorted) {
    if (front.empty() || c.fitness > front.back().fitness) front.push_back(c);
  }
  return front;
}

double AccuracyStandardError(double p, int64_t images) {
  return std::sqrt(p * (1 - p) / static_cast<double>(std::max<int64_t>(1, images)));
}

Candidate MostMacsAmongTies(const std::vector<Candidate>& evaluated, int64_t holdout_images) {
  double best = 0;
  for (const Candidate& c : evaluated) best = std::max(best, c.fitness);
  const double floor = best - AccuracyStandardError(best, holdout_images);
  const Candidate* kept = nullptr;
  for (const Candidate& c : evaluated) {
    if (c.fitness < floor) continue;
    if (!kept || c.cost.macs > kept->cost.macs ||
        (c.cost.macs == kept->cost.macs && c.fitness > kept->fitness)) {
      kept = &c;
    }
  }
  return kept ? *kept : Candidate{};
}

std::string SearchStateToJson(const SearchState& s) {
  json population = json::array();
  for (const ArchGenome& g : s.population) population.push_back(GenomeJson(g));
  json evaluated = json::array();
  for (const Candidate& c : s.evaluated) {
    evaluated.push_back({{"genome", GenomeJson(c.genome)},
                         {"key", GenomeKey(c.genome)},
                         {"fitness", c.fitness},
                         {"peak_sram_bytes", c.cost.peak_sram_bytes},
                         {"flash_bytes", c.cost.flash_bytes},
                         {"macs", c.cost.macs},
                         {"training_params", c.cost.params}});
  }
  return json{{"generation", s.generation},
              {"population", population},
              {"evaluated", evaluated},
              {"best_per_generation", s.best_per_generation},
              {"rng_state", s.rng_state}}
      .dump(1);
}

Expected<SearchState> SearchStateFromJson(const std::string& text) {
  try {
    const json j = json::parse(text);
    SearchState s;
    s.generation = j.at("generation").get<int>();
    for (const json& g : j.at("population")) s.population.push_back(GenomeFromJson(g));
    for (const json& c : j.at("evaluated")) {
      Candidate x;
      x.genome = GenomeFromJson(c.at("genome"));
      x.fitness = c.at("fitness").get<double>();
      x.cost.peak_sram_bytes = c.at("peak_sram_bytes").get<int64_t>();
      x.cost.flash_bytes = c.at("flash_bytes").get<int64_t>();
      x.cost.macs = c.at("macs").get<int64_t>();
      // "params" in logs written before the key said which parameters it counts.
      x.cost.params = c.value("training_params", c.value("params", int64_t{0}));
      s.evaluated.push_back(x);
    }
    s.best_per_generation = j.at("best_per_generation").get<std::vector<double>>();
    s.rng_state = j.at("rng_state").get<std::string>();
    for (const ArchGenome& g : s.population) {
      if (!ValidGenome(g)) return Status::Error("search state: a genome has a choice outside the space");
    }
    for (const Candidate& c : s.evaluated) {
      if (!ValidGenome(c.genome)) return Status::Error("search state: a genome has a choice outside the space");
    }
    return s;
  } catch (const json::exception& e) {
    return Status::Error(std::string("search state: ") + e.what());
  }
}

}  // namespace mcunet
