// TinyNAS stage 2 end to end, behind an interface free of torch types: data,
// stage 1, supernet training, evolution under the planner's SRAM/Flash, final
// training, test accuracy, and the two baselines (scaled MobileNetV2, random
// search). Every phase writes its results into the output folder and resumes
// from there: a killed run started again with the same command loses nothing.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/devices.h"
#include "core/status.h"
#include "arch/arch.h"
#include "nas/evolution.h"

namespace mcunet {

// How much compute a search may spend; `smoke` is for tests and CI.
struct BudgetPreset {
  std::string name;
  int max_resolution = 32;        // stage 1 grid: r = 32 .. max_resolution, step 8
  // Stage 1 keeps spaces whose fitting networks average at most this many MACs
  // (0 = any): what a training step costs, so the preset's time holds at every budget.
  double max_mean_macs = 0;
  int stage1_samples = 1000;      // networks sampled per (w, r)
  int64_t supernet_steps = 0;     // sandwich steps (2 + random_subnets subnets each)
  int64_t largest_only_steps = 0;  // first steps train only the largest net, then reorder channels
  int random_subnets = 2;         // besides the largest and the smallest, per step
  int batch_size = 128;
  int train_images = 50000;       // of the training split (smoke uses fewer)
  EvolutionOptions evolution;     // population, generations, ...
  // Evolution parents: the fittest (false, Once-for-All) or, after the fittest,
  // the most MACs among networks tied with it within one standard error on the
  // held-out images (EvolutionOptions::tie_holdout_images).
  bool parents_among_ties = false;
  int validation_images = 10000;  // held-out images scoring each candidate
  int recalibration_images = 2000;
  // Final training, the same recipe for the searched net and both baselines.
  // A searched (or random-search) subnet is fine-tuned from the supernet's
  // weights; with `final_also_from_scratch` it is also trained from scratch and
  // the one with the better held-out accuracy is kept: which start pays depends
  // on how long the supernet trained (docs/nas-results.md).
  int64_t final_steps = 0;
  bool final_also_from_scratch = true;
  double lr = 0.1;  // supernet and final training, batch 128 (scaled linearly)
  // Random crop and flip in every training; short runs underfit, and pay for
  // it in accuracy (docs/nas-results.md).
  bool augment = true;
};
Expected<BudgetPreset> BudgetByName(const std::string& name);  // smoke | quick | full

struct SearchRequest {
  std::string dataset = "fashion-mnist";  // or a folder of IDX files
  Constraints constraints;
  BudgetPreset budget;
  std::string out_dir = "mcunet-search";
  uint32_t seed = 1;
  int threads = 2;
  std::optional<SearchSpace> space;  // skip stage 1
  std::optional<ArchConfig> arch;    // kTrainArch: the network to train
  bool baselines = true;
  bool restart = false;  // delete out_dir's earlier run first instead of resuming it
  // After the final training (search, evolve): each network quantised to int8
  // (nas/export.h), its .tflite written, its int8 test accuracy measured and,
  // with a device, its firmware built and checked under QEMU.
  bool export_int8 = true;
  std::optional<DeviceProfile> device;
  int64_t calibration_images = 512;
  int64_t qat_steps = 300;  // ExportRequest::qat_steps
  int64_t firmware_images = 5;
  std::string plugin;  // QEMU instruction counter; "" = no count
  // Human-readable lines ("stage 1: best space w0.5-r32") and bar updates.
  std::function<void(const std::string& line)> log;
  std::function<void(const std::string& phase, int64_t done, int64_t total,
                     const std::string& info)>
      progress;
};

// Which phases to run: `search` runs all; `train` stops after the supernet;
// `evolve` needs a trained supernet in out_dir and stops after the final training;
// kTrainArch trains `arch` alone from scratch with the final recipe (`train --arch`),
// adapting its input channels and classes to the data, and checks the budgets when given.
enum class Stage2Scope { kSearch, kTrainSupernet, kEvolve, kTrainArch };

// Returns summary.json's text (also written to out_dir/summary.json).
Expected<std::string> RunStage2(const SearchRequest& request, Stage2Scope scope);

// The Debian split: the first 10,000 of a fixed shuffle of the 60,000 training
// images are held out for search validation (seed below), the rest train.
inline constexpr uint32_t kSplitSeed = 20201124;

// A run's rows of the training split: the fixed held-out images (at most
// 10,000, a sixth of the set), the first `validation_images` of which score
// networks, and the rest, the first `train_images` of which train.
struct RunRows {
  std::vector<int64_t> train, validation;
};
RunRows SplitTrainingRows(int64_t count, int64_t train_images, int64_t validation_images);

}  // namespace mcunet
