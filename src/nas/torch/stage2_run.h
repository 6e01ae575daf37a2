// The phases of one TinyNAS stage-2 run (RunStage2, nas/stage2.h), shared by
// the three files that implement them: stage2_run.cc (the order of the phases,
// the folder's settings, data, stage 1, the summary), stage2_search.cc (the
// supernet, evolution, random search) and stage2_final.cc (final training, the
// MobileNetV2 baseline, `train --arch`). Each phase writes its results into the
// output folder and reads them back when the run is started again.
#pragma once
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/idx_dataset.h"
#include "nas/evolution.h"
#include "nas/run_eta.h"
#include "nas/stage2.h"
#include "nas/torch/trainer.h"

namespace mcunet::stage2 {

namespace fs = std::filesystem;
using nlohmann::json;

Status WriteAtomic(const fs::path& path, const std::string& text);
// The JSON in `path`, or nothing when it is missing or unreadable.
std::optional<json> ReadJson(const fs::path& path);
double Seconds(std::chrono::steady_clock::time_point since);
json CostJson(const ArchCost& c);

class Stage2Run {
 public:
  explicit Stage2Run(const SearchRequest& r) : req_(r), dir_(r.out_dir), b_(r.budget) {}
  Expected<std::string> Run(Stage2Scope scope);

 private:
  void Log(const std::string& line) {
    if (req_.log) req_.log(line);
  }
  // Bars read "[3/7] evolution" or "[4/7] final training: from scratch": the
  // run's phases in words, numbered (Run lists them for its scope).
  void Progress(const std::string& detail, int64_t done, int64_t total, const std::string& info);
  void BeginPhase(const std::string& name);
  std::vector<std::string> PhasesInWords(Stage2Scope scope) const;
  // A phase's work for the whole run's ETA (RunEta's unit: images through a
  // network, a training image counting three), and how many bars it shows one
  // after the other (final training from the supernet and from scratch, ...).
  struct PhaseWork {
    double images = 0;
    int bars = 1;
  };
  PhaseWork WorkOf(const std::string& phase) const;

  // stage2_run.cc
  // The run's settings as config.json holds them.
  json ConfigJson() const;
  // True when dir_ holds a run with these settings (resume); false when it holds
  // none; an error naming each differing setting otherwise.
  Expected<bool> CheckConfig();
  // Written once stage 1 has accepted the budget, so a refused run leaves none.
  Status WriteConfig();
  Status LoadData();
  Status Stage1();
  TrainOptions BaseTrainOptions(int64_t steps, double lr, const std::string& checkpoint);
  Expected<std::string> Summary(bool complete);

  // stage2_search.cc
  Status TrainSupernet(Stage2Scope scope);
  // Held-out accuracy of one subnet after BN recalibration.
  Expected<double> Fitness(const ArchGenome& g);
  // Evolution or random search (resumed from LOG_NAME); returns the network kept
  // for final training (MostMacsAmongTies), not necessarily the best held-out one.
  Expected<Candidate> Search(const std::string& log_name, bool random, int evaluations);
  Expected<Candidate> Evolve();
  Status RandomSearchBaseline();

  // stage2_final.cc
  // Final training of a subnet: from the supernet's weights and (if the budget
  // says so) from scratch, keeping the better on held-out images; writes
  // NAME_arch.json, NAME_weights.pt and NAME.json (test accuracy in float of the
  // kept one).
  Expected<json> FinalTraining(const Candidate& c, const std::string& name);
  // Trains `model` with the final recipe into TAG.pt and TAG.json (held-out
  // accuracy); a finished TAG.json is read back instead of training again.
  Expected<json> TrainOne(ArchNetImpl& model, int resolution, const std::string& tag);
  // The test set is read only here, once per finished network.
  Expected<double> TestAccuracy(ArchNetImpl& model, int resolution);
  // `mcunet train --arch`: the given network with the data's input channels and
  // classes, measured by the planner and checked against the budgets given.
  Status FitGivenArch();
  // One given network from scratch, as the baselines are.
  Expected<std::string> TrainGivenArch();
  // Trains `arch` from scratch with the final recipe, tests it and keeps its
  // weights as `weights_file`; RESULT.json holds `fields`, the cost and the
  // accuracies. Shared by `train --arch` and the MobileNetV2 baseline.
  Expected<json> TrainFromScratch(const ArchConfig& arch, const ArchCost& cost,
                                  const std::string& result, const std::string& weights_file,
                                  const json& fields);
  // Copies TAG.pt to `weights_file`, writes the result, then drops TAG.pt: a
  // kill at any point leaves either the finished result or what resumes it.
  Status KeepWeights(const std::string& tag, const std::string& weights_file,
                     const fs::path& result_path, const json& result);
  Status MobileNetV2Baseline();
  // Each finished network to int8 (ExportRun): NETWORK.tflite, export*.json and,
  // with a device, firmware*/; a finished export record is read back.
  Status ExportInt8();

  const SearchRequest& req_;
  fs::path dir_;
  BudgetPreset b_;
  Dataset data_;
  ImageTensors train_, test_;
  std::vector<int64_t> train_rows_, val_rows_, recal_rows_, test_rows_;
  SearchSpace space_;
  ArchConfig given_arch_;  // kTrainArch
  ArchCost given_cost_;
  Supernet net_{nullptr};
  std::vector<Candidate> evaluated_;
  int evolution_evaluations_ = 0;
  json results_ = json::object();
  std::vector<std::string> phases_;
  size_t phase_ = 0;  // 1-based index into phases_; 0 before the first
  std::optional<RunEta> eta_;
  std::string bar_;    // the current phase's current bar
  int bars_done_ = 0;  // earlier bars of the current phase
};

}  // namespace mcunet::stage2
