// The TinyNAS search space (MobileNetV2 / ProxylessNAS style) and the operators
// the evolution needs: a fixed stem and first block, five searchable stages
// (depth 2-4; per block kernel 3/5/7 and expansion 3-6), a one-block last stage,
// global pooling and a linear head. A space is one (width multiplier, resolution).
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "arch/arch.h"

namespace mcunet {

struct SearchSpace {
  double width = 1.0;    // w: multiplies every width, then make-divisible-by-8
  int resolution = 224;  // r
  int input_channels = 3;
  int num_classes = 1000;
};

constexpr int kStages = 5;
constexpr int kMaxDepth = 4;
constexpr std::array<int, kStages> kStageWidths = {24, 40, 80, 96, 192};
constexpr std::array<int, kStages> kStageStrides = {2, 2, 2, 1, 2};
constexpr std::array<int, 3> kKernelChoices = {3, 5, 7};
constexpr std::array<int, 4> kExpandChoices = {3, 4, 5, 6};
constexpr std::array<int, 3> kDepthChoices = {2, 3, 4};

// One point of a space: the searchable choices. Blocks beyond a stage's depth are
// ignored (kept so that mutation and crossover work on a fixed-size genome).
struct ArchGenome {
  std::array<int, kStages> depth{};
  std::array<std::array<int, kMaxDepth>, kStages> kernel{};
  std::array<std::array<int, kMaxDepth>, kStages> expand{};
  bool operator==(const ArchGenome&) const = default;
};

// The usual rounding: to a multiple of 8, at least 8, never below 90% of v.
int MakeDivisible(double v, int divisor = 8);

ArchGenome SampleGenome(std::mt19937& rng);
// Each choice is resampled with probability `p`.
ArchGenome Mutate(const ArchGenome& g, double p, std::mt19937& rng);
// Each choice comes from either parent with equal probability.
ArchGenome Crossover(const ArchGenome& a, const ArchGenome& b, std::mt19937& rng);

ArchConfig GenomeToArch(const ArchGenome& genome, const SearchSpace& space);

// The ProxylessNAS JSON that ReadArchFile reads back (released networks' format).
std::string ArchToJson(const ArchConfig& arch);

}  // namespace mcunet
