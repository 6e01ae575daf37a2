#include "nas/stage1.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <numeric>
#include <thread>

#include "nas/memory_model.h"

namespace mcunet {
namespace {

std::vector<double> Widths() {
  std::vector<double> w;
  for (int i = 2; i <= 10; ++i) w.push_back(i / 10.0);
  return w;
}

std::vector<int> Range(int from, int to, int step) {
  std::vector<int> v;
  for (int x = from; x <= to; x += step) v.push_back(x);
  return v;
}

int64_t Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = static_cast<size_t>(std::floor(p * (sorted.size() - 1) + 0.5));
  return sorted[std::min(i, sorted.size() - 1)];
}

Expected<SpaceStats> MeasureSpace(double w, int r, const SpaceGrid& grid, const Stage1Options& o) {
  SpaceStats s;
  s.width = w, s.resolution = r, s.samples = o.samples;
  // Seeded per space, so results do not depend on thread scheduling.
  std::mt19937 rng(o.seed * 1000003u + static_cast<uint32_t>(std::lround(w * 100)) * 1009u +
                   static_cast<uint32_t>(r));
  const SearchSpace space{w, r, grid.input_channels, grid.num_classes};
  CostOptions cost_options;
  cost_options.input_channels = grid.input_channels;
  for (int i = 0; i < o.samples; ++i) {
    const ArchConfig arch = GenomeToArch(SampleGenome(rng), space);
    auto cost = MeasureArch(arch, cost_options);
    if (!cost.ok()) {
      return Status::Error(fmt::format("space w{:.1f}-r{}: {}", w, r, cost.status().message()));
    }
    if (cost->peak_sram_bytes <= o.sram_bytes && cost->flash_bytes <= o.flash_bytes) {
      s.fitting_macs.push_back(cost->macs);
    }
  }
  std::sort(s.fitting_macs.begin(), s.fitting_macs.end());
  s.fit = static_cast<int>(s.fitting_macs.size());
  s.fit_fraction = o.samples ? double(s.fit) / o.samples : 0;
  if (s.fit > 0) {
    s.mean_macs = std::accumulate(s.fitting_macs.begin(), s.fitting_macs.end(), 0.0) / s.fit;
  }
  s.p20_macs = Percentile(s.fitting_macs, 0.2);
  s.p50_macs = Percentile(s.fitting_macs, 0.5);
  s.p80_macs = Percentile(s.fitting_macs, 0.8);
  return s;
}

}  // namespace

SpaceGrid ImageNetGrid() { return {Widths(), Range(48, 224, 16), 3, 1000}; }
SpaceGrid FashionMnistGrid() { return {Widths(), Range(32, 96, 8), 1, 10}; }

Expected<Stage1Result> RunStage1(const SpaceGrid& grid, const Stage1Options& o) {
  if (o.samples < 1) return Status::Error("--samples must be at least 1");
  if (o.sram_bytes <= 0 || o.flash_bytes <= 0)
    return Status::Error("SRAM and Flash budgets must be positive");
  std::vector<std::pair<double, int>> jobs;
  for (double w : grid.widths) {
    for (int r : grid.resolutions) jobs.emplace_back(w, r);
  }
  std::vector<SpaceStats> results(jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<int> done{0};
  std::mutex error_mutex;
  Status error;
  const auto worker = [&] {
    for (size_t j; (j = next++) < jobs.size();) {
      auto stats = MeasureSpace(jobs[j].first, jobs[j].second, grid, o);
      if (!stats.ok()) {
        std::lock_guard<std::mutex> lock(error_mutex);
        error = stats.status();
        return;
      }
      results[j] = std::move(stats).value();
      const int finished = ++done;
      if (o.progress) {
        std::lock_guard<std::mutex> lock(error_mutex);
        o.progress(finished, static_cast<int>(jobs.size()));
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, o.threads); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (!error.ok()) return error;
  Stage1Result result;
  result.archs_measured = static_cast<int64_t>(jobs.size()) * o.samples;
  result.spaces = std::move(results);
  std::stable_sort(
      result.spaces.begin(), result.spaces.end(),
      [](const SpaceStats& a, const SpaceStats& b) { return a.mean_macs > b.mean_macs; });
  if (result.spaces.empty() || result.spaces[0].fit == 0) {
    return Status::Error(fmt::format(
        "no sampled network of any space fits {} bytes of SRAM and {} bytes of Flash; the "
        "smallest network of the grid needs more (try a smaller width or resolution grid)",
        o.sram_bytes, o.flash_bytes));
  }
  return result;
}

const SpaceStats& PickSpace(const Stage1Result& ranked, double max_mean_macs) {
  const auto pick = [&](int min_fit) -> const SpaceStats* {
    const SpaceStats* cheapest = nullptr;
    for (const SpaceStats& s : ranked.spaces) {  // highest mean MACs first
      if (s.fit < min_fit) continue;  // min_fit >= 1: spaces where nothing fits never count
      if (max_mean_macs <= 0 || s.mean_macs <= max_mean_macs) return &s;
      cheapest = &s;
    }
    return cheapest;
  };
  int min_fit = 1;
  for (const SpaceStats& s : ranked.spaces) {
    min_fit = std::max(min_fit, (s.samples + kMinFitOneIn - 1) / kMinFitOneIn);
  }
  const SpaceStats* chosen = pick(min_fit);
  return chosen ? *chosen : *pick(1);
}

}  // namespace mcunet
