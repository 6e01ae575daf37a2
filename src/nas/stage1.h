// TinyNAS stage 1: choose the search space (width multiplier w, resolution r)
// whose networks that fit the device have the most capacity (highest mean MACs),
// with every fit decided by our planner on the real int8 graph.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/status.h"
#include "nas/search_space.h"

namespace mcunet {

struct SpaceGrid {
  std::vector<double> widths;
  std::vector<int> resolutions;
  int input_channels = 3;
  int num_classes = 1000;
};

SpaceGrid ImageNetGrid();      // w 0.2..1.0 step 0.1, r 48..224 step 16, 3 channels, 1000 classes
SpaceGrid FashionMnistGrid();  // w 0.2..1.0 step 0.1, r 32..96 step 8, 1 channel, 10 classes

struct SpaceStats {
  double width = 0;
  int resolution = 0;
  int samples = 0;
  int fit = 0;
  double fit_fraction = 0;
  double mean_macs = 0;  // of the fitting networks (0 when none fits)
  int64_t p20_macs = 0, p50_macs = 0, p80_macs = 0;
  std::vector<int64_t> fitting_macs;  // sorted, for the CDF plot
};

struct Stage1Result {
  std::vector<SpaceStats> spaces;  // ranked: highest mean MACs first
  int64_t archs_measured = 0;
};

struct Stage1Options {
  int64_t sram_bytes = 0;
  int64_t flash_bytes = 0;
  int samples = 1000;
  uint32_t seed = 1;
  int threads = 2;
  std::function<void(int done, int total)> progress;  // called per finished space
};

// Errors when no network of any space fits (the constraint cannot be met).
Expected<Stage1Result> RunStage1(const SpaceGrid& grid, const Stage1Options& options);

// The space stage 2 searches: the highest mean MACs among spaces whose fitting
// networks average at most `max_mean_macs` (a proxy for training time; 0 = no
// limit). When every space with a fitting network is above the limit, the one
// closest to it. Spaces where fewer than 1 in `kMinFitOneIn` sampled networks
// fit are passed over while another space fits well enough: their mean
// rests on one or two networks, and the evolution can only draw the few
// corners of them that fit (the case that prompted the rule:
// docs/nas-results.md). `ranked` is RunStage1's ranking (at least one space fits).
inline constexpr int kMinFitOneIn = 100;
const SpaceStats& PickSpace(const Stage1Result& ranked, double max_mean_macs);

}  // namespace mcunet
