// RunStage2: the order of the phases, the folder's settings, data, stage 1
// and the summary (stage2_run.h).
#include "nas/torch/stage2_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "core/atomic_file.h"
#include "core/progress_bar.h"
#include "nas/stage1.h"

namespace mcunet {
namespace stage2 {

Status WriteAtomic(const fs::path& path, const std::string& text) {
  return WriteFileAtomically(path.string(), text);
}

std::optional<json> ReadJson(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    return json::parse(in);
  } catch (const json::exception&) {
    return std::nullopt;  // a torn write cannot happen (atomic), but a user edit can
  }
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

json CostJson(const ArchCost& c) {
  return {{"peak_sram_bytes", c.peak_sram_bytes},
          {"flash_bytes", c.flash_bytes},
          {"macs", c.macs},
          {"training_params", c.params}};
}

namespace {

// What decides the supernet and the final training (evolution options are
// checked against search_log.json instead, so `evolve` can change them).
json BudgetJson(const BudgetPreset& b) {
  json j = {{"name", b.name},
          {"max_resolution", b.max_resolution},
          {"max_mean_macs", b.max_mean_macs},
          {"stage1_samples", b.stage1_samples},
          {"supernet_steps", b.supernet_steps},
          {"largest_only_steps", b.largest_only_steps},
          {"random_subnets", b.random_subnets},
          {"batch_size", b.batch_size},
          {"train_images", b.train_images},
          {"validation_images", b.validation_images},
          {"recalibration_images", b.recalibration_images},
          {"final_steps", b.final_steps},
          {"final_also_from_scratch", b.final_also_from_scratch},
          {"lr", b.lr}};
  // Only when off, so that folders of runs from before the option still resume.
  if (!b.augment) j["augment"] = false;
  return j;
}

}  // namespace

// The phases as progress lines name them, in the order Run takes them.
constexpr const char* kStage1Phase = "stage 1: ranking search spaces";
constexpr const char* kSupernetPhase = "supernet training";
constexpr const char* kEvolutionPhase = "evolution";
constexpr const char* kFinalPhase = "final training";
constexpr const char* kMobileNetV2Phase = "MobileNetV2 baseline";
constexpr const char* kRandomSearchPhase = "random search baseline";
constexpr const char* kExportPhase = "int8 export";

std::vector<std::string> Stage2Run::PhasesInWords(Stage2Scope scope) const {
  if (scope == Stage2Scope::kTrainArch) return {};
  std::vector<std::string> phases = {kStage1Phase, kSupernetPhase};
  if (scope == Stage2Scope::kTrainSupernet) return phases;
  phases.insert(phases.end(), {kEvolutionPhase, kFinalPhase});
  if (req_.baselines && scope == Stage2Scope::kSearch) {
    phases.insert(phases.end(), {kMobileNetV2Phase, kRandomSearchPhase});
  }
  if (req_.export_int8) phases.push_back(kExportPhase);
  return phases;
}

Stage2Run::PhaseWork Stage2Run::WorkOf(const std::string& phase) const {
  const double step = 3.0 * b_.batch_size;  // forward and backward
  const double tests = static_cast<double>(test_rows_.size());
  const int final_bars = b_.final_also_from_scratch ? 2 : 1;
  const PhaseWork final_training{b_.final_steps * step * final_bars + tests, final_bars};
  const double search = static_cast<double>(b_.evolution.generations) * b_.evolution.population *
                        (b_.validation_images + b_.recalibration_images);
  if (phase == kSupernetPhase) {
    const int64_t sandwich = b_.supernet_steps - b_.largest_only_steps;
    return {step * (b_.largest_only_steps + sandwich * (2 + b_.random_subnets)), 1};
  }
  if (phase == kEvolutionPhase) return {search, 1};
  if (phase == kFinalPhase) return final_training;
  if (phase == kMobileNetV2Phase) return {b_.final_steps * step + tests, 1};
  if (phase == kRandomSearchPhase) return {search + final_training.images, 1 + final_training.bars};
  if (phase == kExportPhase) {
    // Per network: held-out, float and int8 test accuracy, firmware. QAT runs
    // only when post-training quantisation loses too much: not counted.
    const int networks = req_.baselines ? 3 : 1;
    const double each = 2.0 * (b_.validation_images + tests) + req_.calibration_images;
    return {networks * each, networks * (req_.device ? 4 : 3)};
  }
  return {0, 1};  // stage 1: the planner, no training
}

void Stage2Run::BeginPhase(const std::string& name) {
  const auto it = std::find(phases_.begin(), phases_.end(), name);
  phase_ = it == phases_.end() ? 0 : static_cast<size_t>(it - phases_.begin()) + 1;
  bar_.clear();
  bars_done_ = 0;
  if (!eta_) {
    std::vector<double> work;
    for (const std::string& p : phases_) work.push_back(WorkOf(p).images);
    eta_.emplace(std::move(work));
  }
}

void Stage2Run::Progress(const std::string& detail, int64_t done, int64_t total,
                         const std::string& info) {
  if (!req_.progress) return;
  std::string label = detail, more = info;
  if (phase_ > 0) {
    label = fmt::format("[{}/{}] {}{}{}", phase_, phases_.size(), phases_[phase_ - 1],
                        detail.empty() ? "" : ": ", detail);
    if (label != bar_) {
      if (!bar_.empty()) ++bars_done_;
      bar_ = label;
    }
    // A phase of several bars counts each as an equal share of it.
    const int bars = WorkOf(phases_[phase_ - 1]).bars;
    const double bar = total > 0 ? static_cast<double>(done) / total : 0;
    const double fraction = std::min(1.0, (bars_done_ + bar) / bars);
    if (auto left = eta_->Update(phase_ - 1, fraction, std::chrono::steady_clock::now())) {
      more += fmt::format("{}whole run ETA about {}", more.empty() ? "" : ", ", FormatClock(*left));
    }
  }
  req_.progress(label, done, total, more);
}

Expected<std::string> Stage2Run::Run(Stage2Scope scope) {
  // Data and a given network are checked before the folder exists: a bad
  // dataset or a network that does not fit leaves nothing behind.
  MCUNET_RETURN_IF_ERROR(LoadData());
  if (scope == Stage2Scope::kTrainArch) MCUNET_RETURN_IF_ERROR(FitGivenArch());
  std::error_code ec;
  if (req_.restart && fs::exists(dir_)) {
    // Only a search folder is deleted, never a folder the user pointed at by mistake.
    if (!fs::exists(dir_ / "config.json") && !fs::is_empty(dir_, ec)) {
      return Status::Error(fmt::format(
          "--restart: {} holds no search run (no config.json); not deleting it", dir_.string()));
    }
    fs::remove_all(dir_, ec);
  }
  const bool created = !fs::exists(dir_);
  fs::create_directories(dir_, ec);
  if (ec) return Status::Error(fmt::format("--out {}: {}", dir_.string(), ec.message()));
  MCUNET_ASSIGN_OR_RETURN(const bool resuming, CheckConfig());
  phases_ = PhasesInWords(scope);
  if (scope != Stage2Scope::kTrainArch) {
    BeginPhase(kStage1Phase);
    // A run refused by stage 1 (no space fits the budget) leaves no folder behind.
    if (Status s = Stage1(); !s.ok()) {
      if (created) fs::remove_all(dir_, ec);
      return s;
    }
  }
  if (!resuming) MCUNET_RETURN_IF_ERROR(WriteConfig());
  if (scope == Stage2Scope::kTrainArch) return TrainGivenArch();
  BeginPhase(kSupernetPhase);
  MCUNET_RETURN_IF_ERROR(TrainSupernet(scope));
  if (scope == Stage2Scope::kTrainSupernet) return Summary(false);
  BeginPhase(kEvolutionPhase);
  MCUNET_ASSIGN_OR_RETURN(Candidate kept, Evolve());
  BeginPhase(kFinalPhase);
  MCUNET_ASSIGN_OR_RETURN(json searched, FinalTraining(kept, "final"));
  results_["searched"] = searched;
  if (req_.baselines && scope == Stage2Scope::kSearch) {
    BeginPhase(kMobileNetV2Phase);
    MCUNET_RETURN_IF_ERROR(MobileNetV2Baseline());
    BeginPhase(kRandomSearchPhase);
    MCUNET_RETURN_IF_ERROR(RandomSearchBaseline());
  }
  if (req_.export_int8) {
    BeginPhase(kExportPhase);
    MCUNET_RETURN_IF_ERROR(ExportInt8());
  }
  return Summary(true);
}

json Stage2Run::ConfigJson() const {
  return json{
      {"dataset", req_.dataset},
      {"sram_bytes", req_.constraints.sram_bytes},
      {"flash_bytes", req_.constraints.flash_bytes},
      {"budget", BudgetJson(b_)},
      {"seed", req_.seed},
      {"space",
       req_.space ? json{{"w", req_.space->width}, {"r", req_.space->resolution}} : json(nullptr)},
      {"arch", req_.arch ? json::parse(ArchToJson(*req_.arch)) : json(nullptr)}};
}

namespace {

// "sram_bytes: 65536 there, 32768 now; budget.final_steps: ..." for the keys
// (dotted paths into nested objects) whose values differ.
void ListDifferences(const json& old, const json& now, const std::string& prefix,
                     std::string* out) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : old.items()) keys.push_back(k);
  for (const auto& [k, v] : now.items()) {
    if (!old.contains(k)) keys.push_back(k);
  }
  for (const std::string& k : keys) {
    const json a = old.contains(k) ? old.at(k) : json("(absent)");
    const json b = now.contains(k) ? now.at(k) : json("(absent)");
    if (a == b) continue;
    if (a.is_object() && b.is_object()) {
      ListDifferences(a, b, prefix + k + ".", out);
      continue;
    }
    *out += fmt::format("{}{}{}: {} there, {} now", out->empty() ? "" : "; ", prefix, k,
                        a.dump(), b.dump());
  }
}

}  // namespace

Expected<bool> Stage2Run::CheckConfig() {
  const auto old = ReadJson(dir_ / "config.json");
  if (!old) return false;
  const json config = ConfigJson();
  if (*old != config) {
    std::string differences;
    ListDifferences(*old, config, "", &differences);
    return Status::Error(fmt::format(
        "{} holds a run with other settings ({}); resume it with its own settings, give "
        "another --out, or add --restart to delete it and start afresh",
        dir_.string(), differences));
  }
  Log(fmt::format("resuming the run in {}", dir_.string()));
  return true;
}

Status Stage2Run::WriteConfig() {
  return WriteAtomic(dir_ / "config.json", ConfigJson().dump(2));
}

Status Stage2Run::LoadData() {
  MCUNET_ASSIGN_OR_RETURN(data_, LoadDataset(req_.dataset));
  RunRows rows = SplitTrainingRows(data_.train.count, b_.train_images, b_.validation_images);
  train_rows_ = std::move(rows.train);
  val_rows_ = std::move(rows.validation);
  // Recalibration images: a fixed sample of the training rows.
  Split recal =
      SplitIndices(static_cast<int64_t>(train_rows_.size()),
                   std::min<int64_t>(b_.recalibration_images, train_rows_.size()), kSplitSeed + 1);
  for (int64_t i : recal.holdout) recal_rows_.push_back(train_rows_[i]);
  for (int64_t i = 0; i < data_.test.count; ++i) test_rows_.push_back(i);
  return CatchTorch("data", [&] {
    train_ = ToTensors(data_.train);
    SetNormalisation(train_, train_rows_);
    test_ = ToTensors(data_.test);
    test_.mean = train_.mean;
    test_.std = train_.std;
    Log(fmt::format("data: {} ({} train / {} held-out / {} test images, {}x{}x{}, {} classes)",
                    req_.dataset, train_rows_.size(), val_rows_.size(), test_rows_.size(),
                    data_.train.height, data_.train.width, data_.train.channels,
                    data_.num_classes));
    if (data_.skipped_files > 0) {
      Log(fmt::format("data: skipped {} files that are not images we can decode (e.g. {})",
                      data_.skipped_files, data_.first_skipped));
    }
    return OkStatus();
  });
}

Status Stage2Run::Stage1() {
  const fs::path path = dir_ / "stage1.json";
  if (auto done = ReadJson(path)) {
    space_.width = done->at("best").at("w").get<double>();
    space_.resolution = done->at("best").at("r").get<int>();
  } else if (req_.space) {
    space_ = *req_.space;
    MCUNET_RETURN_IF_ERROR(WriteAtomic(
        path,
        json{{"best", {{"w", space_.width}, {"r", space_.resolution}}}, {"given", true}}.dump(2)));
  } else {
    SpaceGrid grid = FashionMnistGrid();
    grid.resolutions.clear();
    for (int r = 32; r <= b_.max_resolution; r += 8) grid.resolutions.push_back(r);
    grid.input_channels = data_.train.channels;
    grid.num_classes = data_.num_classes;
    Stage1Options o;
    o.sram_bytes = req_.constraints.sram_bytes;
    o.flash_bytes = req_.constraints.flash_bytes;
    o.samples = b_.stage1_samples;
    o.seed = req_.seed;
    o.threads = req_.threads;
    o.progress = [&](int done, int total) { Progress("", done, total, "spaces"); };
    MCUNET_ASSIGN_OR_RETURN(Stage1Result r, RunStage1(grid, o));
    json spaces = json::array();
    for (const SpaceStats& s : r.spaces) {
      spaces.push_back({{"w", s.width},
                        {"r", s.resolution},
                        {"fit_fraction", s.fit_fraction},
                        {"mean_macs", s.mean_macs}});
    }
    const SpaceStats& picked = PickSpace(r, b_.max_mean_macs);
    space_.width = picked.width;
    space_.resolution = picked.resolution;
    MCUNET_RETURN_IF_ERROR(WriteAtomic(
        path,
        json{{"best", {{"w", space_.width}, {"r", space_.resolution}}}, {"spaces", spaces}}.dump(
            2)));
  }
  space_.input_channels = data_.train.channels;
  space_.num_classes = data_.num_classes;
  Log(fmt::format("stage 1: space w{}-r{}", space_.width, space_.resolution));
  results_["space"] = {{"w", space_.width}, {"r", space_.resolution}};
  return OkStatus();
}

TrainOptions Stage2Run::BaseTrainOptions(int64_t steps, double lr, const std::string& checkpoint) {
  TrainOptions o;
  o.steps = steps;
  o.batch_size = b_.batch_size;
  o.lr = lr;
  o.warmup_steps = std::max<int64_t>(1, steps / 20);
  o.augment = b_.augment;
  o.seed = req_.seed;
  o.resolution = space_.resolution;
  o.checkpoint = (dir_ / checkpoint).string();
  return o;
}

Expected<std::string> Stage2Run::Summary(bool complete) {
  json s = results_;
  s["dataset"] = req_.dataset;
  s["budget"] = b_.name;
  s["sram_budget_bytes"] = req_.constraints.sram_bytes;
  s["flash_budget_bytes"] = req_.constraints.flash_bytes;
  s["seed"] = req_.seed;
  s["complete"] = complete;
  s["evaluations"] = evolution_evaluations_;
  if (req_.device) {
    s["device"] = {{"name", req_.device->name},
                   {"core", req_.device->core},
                   {"mhz", req_.device->mhz},
                   {"sram_bytes", req_.device->sram_bytes},
                   {"flash_bytes", req_.device->flash_bytes}};
  }
  if (results_.contains("searched")) {
    for (const char* key : {"test_accuracy", "val_accuracy", "peak_sram_bytes", "flash_bytes",
                            "macs", "training_params"}) {
      s[key] = results_["searched"][key];
    }
    s["best_arch"] = "best_arch.json";
    if (const json& int8 = results_["searched"].value("int8", json()); !int8.is_null()) {
      s["float_test_accuracy"] = int8["float_test_accuracy"];
      s["int8_test_accuracy"] = int8["int8_test_accuracy"];
      s["model"] = int8["output"];
      if (int8.contains("firmware")) s["firmware"] = int8["firmware"];
    }
  }
  const std::string text = s.dump(2);
  MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "summary.json", text));
  return text;
}

}  // namespace stage2

Expected<std::string> RunStage2(const SearchRequest& request, Stage2Scope scope) {
  if (scope == Stage2Scope::kTrainArch && !request.arch) {
    return Status::Error("no network to train (--arch FILE)");
  }
  if (scope != Stage2Scope::kTrainArch &&
      (request.constraints.sram_bytes <= 0 || request.constraints.flash_bytes <= 0)) {
    return Status::Error("SRAM and Flash budgets must be positive");
  }
  PrepareTorchCpu(request.threads);
  stage2::Stage2Run run(request);
  Expected<std::string> result = Status::Error("unreached");
  Status st = CatchTorch("search", [&] {
    result = run.Run(scope);
    return OkStatus();
  });
  if (!st.ok()) return st;
  return result;
}

}  // namespace mcunet
