// TinyNAS stage 2's search over one space: Once-for-All's evolution (a
// population of networks that fit; the best quarter are parents; children by
// mutation and crossover, resampled until they fit) and random search under the
// same constraints and evaluation count. Fitness comes from a callback (held-out
// accuracy of the supernet's subnet), so the algorithm is tested without torch.
// Every fit decision is the engine's planner on the int8 graph (MeasureArch).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/status.h"
#include "nas/memory_model.h"
#include "nas/search_space.h"

namespace mcunet {

struct Constraints {
  int64_t sram_bytes = 0;
  int64_t flash_bytes = 0;
};

struct EvolutionOptions {
  int population = 100;          // Once-for-All's defaults
  double parents_fraction = 0.25;
  double mutation_probability = 0.1;
  double crossover_share = 0.5;  // of the children each generation (the rest mutate)
  int generations = 20;
  uint32_t seed = 1;
  int max_resample = 2000;       // tries to draw one fitting network before giving up
  // 0: parents are the fittest (Once-for-All). N > 0: the fittest network stays a
  // parent, and the others are chosen as MostMacsAmongTies keeps (below): networks
  // within one standard error on N held-out images of the generation's best come
  // first, most MACs first, then the rest by fitness. The supernet cannot order
  // those ties and underrates the deeper ones, so plain selection drifts to the
  // shallowest networks of the space (docs/nas-results.md).
  int64_t tie_holdout_images = 0;
};

struct Candidate {
  ArchGenome genome;
  ArchCost cost;
  double fitness = 0;  // held-out accuracy in [0, 1]
};

// Everything a resumed search needs; written after every evaluation.
struct SearchState {
  int generation = 0;                // generations completed
  std::vector<ArchGenome> population;  // the current generation's members
  std::vector<Candidate> evaluated;    // every network evaluated so far, in order
  std::string rng_state;               // std::mt19937 text form
  std::vector<double> best_per_generation;
};

using FitnessFn = std::function<Expected<double>(const ArchGenome&)>;
using ProgressFn = std::function<void(int done, int total)>;

class SpaceSearch {
 public:
  SpaceSearch(SearchSpace space, Constraints constraints, FitnessFn fitness);

  // The cost of a genome (memoised) and whether it fits.
  Expected<ArchCost> Cost(const ArchGenome& genome);
  Expected<bool> Fits(const ArchGenome& genome);
  // A random network that fits, or an error naming the budgets and the smallest
  // network of the space when `max_resample` draws all failed.
  Expected<ArchGenome> SampleFitting(std::mt19937& rng, int max_resample);

  // `state` holds a previous run's progress (resume) or is empty; it is updated
  // as the search goes and `on_update` is called after every change worth saving.
  Expected<Candidate> Evolve(const EvolutionOptions& options, SearchState& state,
                             const std::function<void(const SearchState&)>& on_update = {},
                             const ProgressFn& progress = {});
  Expected<Candidate> RandomSearch(int evaluations, uint32_t seed, SearchState& state,
                                   const std::function<void(const SearchState&)>& on_update = {},
                                   const ProgressFn& progress = {});

 private:
  Expected<double> Evaluate(const ArchGenome& genome, SearchState& state);

  SearchSpace space_;
  Constraints constraints_;
  FitnessFn fitness_;
  std::map<std::string, ArchCost> costs_;
};

std::string GenomeKey(const ArchGenome& genome);  // "d2,3,.. k3,5,.. e4,6,.."
// Non-dominated candidates: no other is both more accurate and smaller in SRAM.
std::vector<Candidate> ParetoFront(const std::vector<Candidate>& candidates);

// The network a search hands to final training. Held-out accuracies closer to
// the best than one standard error of a proportion on `holdout_images` images
// (sqrt(p(1-p)/n)) are ties the supernet cannot order, and its shared weights
// underrate deeper subnets (docs/nas-results.md); among the ties the one
// with the most MACs is kept, as it has the most capacity once trained alone.
// Equal MACs go to the higher fitness, then to the earlier evaluation.
Candidate MostMacsAmongTies(const std::vector<Candidate>& evaluated, int64_t holdout_images);
// One standard error of an accuracy `p` measured on `images` images.
double AccuracyStandardError(double p, int64_t images);

std::string SearchStateToJson(const SearchState& state);
Expected<SearchState> SearchStateFromJson(const std::string& text);
// Smallest network of the space: every depth 2, kernel 3, expansion 3.
ArchGenome SmallestGenome();
ArchGenome LargestGenome();

}  // namespace mcunet
