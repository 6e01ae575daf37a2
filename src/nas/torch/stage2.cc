// RunStage2: the phases of a search, each resumable from the output folder.
#include "nas/stage2.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "data/idx_dataset.h"
#include "nas/baselines.h"
#include "nas/memory_model.h"
#include "nas/search_report.h"
#include "nas/stage1.h"
#include "nas/torch/trainer.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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
          {"params", c.params}};
}

// What decides the supernet and the final training (evolution options are
// checked against search_log.json instead, so `evolve` can change them).
json BudgetJson(const BudgetPreset& b) {
  return {{"name", b.name},
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
}

json EvolutionJson(const EvolutionOptions& e) {
  json j = {{"population", e.population},
            {"parents_fraction", e.parents_fraction},
            {"mutation_probability", e.mutation_probability},
            {"crossover_share", e.crossover_share},
            {"generations", e.generations},
            {"seed", e.seed}};
  // Only when used, so that logs written before the option existed still resume.
  if (e.tie_holdout_images > 0) j["tie_holdout_images"] = e.tie_holdout_images;
  return j;
}

class Stage2Run {
 public:
  explicit Stage2Run(const SearchRequest& r) : req_(r), dir_(r.out_dir), b_(r.budget) {}

  Expected<std::string> Run(Stage2Scope scope) {
    // Data and a given network are checked before the folder exists: a bad
    // dataset or a network that does not fit leaves nothing behind.
    MCUNET_RETURN_IF_ERROR(LoadData());
    if (scope == Stage2Scope::kTrainArch) MCUNET_RETURN_IF_ERROR(FitGivenArch());
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Status::Error(fmt::format("--out {}: {}", dir_.string(), ec.message()));
    MCUNET_RETURN_IF_ERROR(CheckConfig());
    if (scope == Stage2Scope::kTrainArch) return TrainGivenArch();
    MCUNET_RETURN_IF_ERROR(Stage1());
    MCUNET_RETURN_IF_ERROR(TrainSupernet(scope));
    if (scope == Stage2Scope::kTrainSupernet) return Summary(false);
    MCUNET_ASSIGN_OR_RETURN(Candidate kept, Evolve());
    MCUNET_ASSIGN_OR_RETURN(json searched, FinalTraining(kept, "final"));
    results_["searched"] = searched;
    if (req_.baselines && scope == Stage2Scope::kSearch) {
      MCUNET_RETURN_IF_ERROR(MobileNetV2Baseline());
      MCUNET_RETURN_IF_ERROR(RandomSearchBaseline());
    }
    return Summary(true);
  }

 private:
  void Log(const std::string& line) {
    if (req_.log) req_.log(line);
  }
  void Progress(const std::string& phase, int64_t done, int64_t total, const std::string& info) {
    if (req_.progress) req_.progress(phase, done, total, info);
  }

  Status CheckConfig() {
    json config = {{"dataset", req_.dataset},
                   {"sram_bytes", req_.constraints.sram_bytes},
                   {"flash_bytes", req_.constraints.flash_bytes},
                   {"budget", BudgetJson(b_)},
                   {"seed", req_.seed},
                   {"space", req_.space ? json{{"w", req_.space->width},
                                               {"r", req_.space->resolution}}
                                        : json(nullptr)},
                   {"arch", req_.arch ? json::parse(ArchToJson(*req_.arch)) : json(nullptr)}};
    const fs::path path = dir_ / "config.json";
    if (auto old = ReadJson(path)) {
      if (*old != config) {
        return Status::Error(fmt::format(
            "{} holds a run with other settings ({}); give another --out or delete the folder",
            dir_.string(), old->dump()));
      }
      Log(fmt::format("resuming the run in {}", dir_.string()));
      return OkStatus();
    }
    return WriteAtomic(path, config.dump(2));
  }

  Status LoadData() {
    MCUNET_ASSIGN_OR_RETURN(data_, LoadDataset(req_.dataset));
    const int64_t n = data_.train.count;
    const int64_t holdout = std::min<int64_t>(10000, n / 6);
    Split split = SplitIndices(n, holdout, kSplitSeed);
    if (static_cast<int64_t>(split.train.size()) > b_.train_images) {
      split.train.resize(b_.train_images);  // the split is sorted: a fixed prefix
    }
    train_rows_ = split.train;
    val_rows_.assign(split.holdout.begin(),
                     split.holdout.begin() +
                         std::min<int64_t>(b_.validation_images, split.holdout.size()));
    // Recalibration images: a fixed sample of the training rows.
    Split recal = SplitIndices(static_cast<int64_t>(train_rows_.size()),
                               std::min<int64_t>(b_.recalibration_images, train_rows_.size()),
                               kSplitSeed + 1);
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
      return OkStatus();
    });
  }

  Status Stage1() {
    const fs::path path = dir_ / "stage1.json";
    if (auto done = ReadJson(path)) {
      space_.width = done->at("best").at("w").get<double>();
      space_.resolution = done->at("best").at("r").get<int>();
    } else if (req_.space) {
      space_ = *req_.space;
      MCUNET_RETURN_IF_ERROR(WriteAtomic(
          path, json{{"best", {{"w", space_.width}, {"r", space_.resolution}}}, {"given", true}}
                    .dump(2)));
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
      o.progress = [&](int done, int total) { Progress("stage 1", done, total, "spaces"); };
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
          path, json{{"best", {{"w", space_.width}, {"r", space_.resolution}}},
                     {"spaces", spaces}}
                    .dump(2)));
    }
    space_.input_channels = data_.train.channels;
    space_.num_classes = data_.num_classes;
    Log(fmt::format("stage 1: space w{}-r{}", space_.width, space_.resolution));
    results_["space"] = {{"w", space_.width}, {"r", space_.resolution}};
    return OkStatus();
  }

  TrainOptions BaseTrainOptions(int64_t steps, double lr, const std::string& checkpoint) {
    TrainOptions o;
    o.steps = steps;
    o.batch_size = b_.batch_size;
    o.lr = lr;
    o.warmup_steps = std::max<int64_t>(1, steps / 20);
    o.seed = req_.seed;
    o.resolution = space_.resolution;
    o.checkpoint = (dir_ / checkpoint).string();
    return o;
  }

  Status TrainSupernet(Stage2Scope scope) {
    torch::manual_seed(req_.seed);
    net_ = Supernet(space_);
    const fs::path done_path = dir_ / "supernet.json", weights = dir_ / "supernet.pt";
    if (auto done = ReadJson(done_path); done && fs::exists(weights)) {
      results_["supernet"] = *done;
      return LoadModule(*net_, weights.string());
    }
    if (scope == Stage2Scope::kEvolve) {
      return Status::Error(fmt::format(
          "{}: no trained supernet (supernet.json, supernet.pt); run 'mcunet train' first",
          dir_.string()));
    }
    const auto start = std::chrono::steady_clock::now();
    const ArchGenome largest = LargestGenome(), smallest = SmallestGenome();
    TrainOptions o = BaseTrainOptions(b_.supernet_steps, b_.lr, "supernet.ckpt");
    o.progress = [&](int64_t step, int64_t total, double loss) {
      Progress("supernet", step, total, fmt::format("loss {:.3f}", loss));
    };
    const double smoothing = o.label_smoothing;
    // Sandwich rule with in-place distillation (BigNAS): every step trains the
    // largest net on the labels, then the smallest and random subnets on the
    // largest one's soft outputs. The first steps train the largest alone.
    const StepFn step = [&](const torch::Tensor& x, const torch::Tensor& y, int64_t s) {
      net_->SetBnMode(BnMode::kBatch);
      torch::Tensor logits = net_->forward(x, largest);
      torch::Tensor loss = SmoothedCrossEntropy(logits, y, smoothing);
      loss.backward();
      if (s < b_.largest_only_steps) return loss.item<double>();
      const torch::Tensor soft = torch::softmax(logits.detach(), 1);
      std::mt19937 rng(req_.seed * 40503u + static_cast<uint32_t>(s));
      std::vector<ArchGenome> students = {smallest};
      for (int i = 0; i < b_.random_subnets; ++i) students.push_back(SampleGenome(rng));
      for (const ArchGenome& g : students) {
        torch::Tensor kd = -(soft * torch::log_softmax(net_->forward(x, g), 1)).sum(1).mean();
        kd.backward();
      }
      return loss.item<double>();
    };
    const BeforeStepFn before = [&](int64_t s, torch::optim::SGD& optimizer) {
      if (s != b_.largest_only_steps || s == 0) return;
      // Importance order for elastic expansion; momentum follows its parameters.
      for (auto& [param, dim, order] : net_->ReorderChannelsByImportance()) {
        auto& state = optimizer.state();
        auto it = state.find(c10::guts::to_string(param.unsafeGetTensorImpl()));
        if (it == state.end()) continue;
        auto& sgd = static_cast<torch::optim::SGDParamState&>(*it->second);
        if (sgd.momentum_buffer().defined()) {
          sgd.momentum_buffer(sgd.momentum_buffer().index_select(dim, order));
        }
      }
    };
    MCUNET_ASSIGN_OR_RETURN(TrainResult tr, Train(*net_, train_, train_rows_, o, step, before));
    if (tr.resumed_from_step > 0) Log(fmt::format("supernet: resumed at step {}", tr.resumed_from_step));
    json done = {{"steps", b_.supernet_steps},
                 {"resumed_from_step", tr.resumed_from_step},
                 {"final_loss", tr.final_loss},
                 {"seconds_this_run", Seconds(start)}};
    // How well the shared weights serve both ends of the space.
    MCUNET_ASSIGN_OR_RETURN(double acc_largest, Fitness(largest));
    MCUNET_ASSIGN_OR_RETURN(double acc_smallest, Fitness(smallest));
    done["largest_val_accuracy"] = acc_largest;
    done["smallest_val_accuracy"] = acc_smallest;
    Log(fmt::format("supernet: held-out accuracy largest {:.2f}%, smallest {:.2f}%",
                    100 * acc_largest, 100 * acc_smallest));
    MCUNET_RETURN_IF_ERROR(SaveModule(*net_, weights.string()));
    MCUNET_RETURN_IF_ERROR(WriteAtomic(done_path, done.dump(2)));
    fs::remove(o.checkpoint);  // supernet.pt holds the result
    results_["supernet"] = done;
    return OkStatus();
  }

  // Held-out accuracy of one subnet after BN recalibration.
  Expected<double> Fitness(const ArchGenome& g) {
    double acc = 0;
    MCUNET_RETURN_IF_ERROR(CatchTorch("evaluation", [&] {
      RecalibrateBn(net_, g, train_, recal_rows_, space_.resolution);
      acc = Accuracy([&](const torch::Tensor& x) { return net_->forward(x, g); }, train_,
                     val_rows_, space_.resolution);
      return OkStatus();
    }));
    return acc;
  }

  // Evolution or random search (resumed from LOG_NAME); returns the network kept
  // for final training (MostMacsAmongTies), not necessarily the best held-out one.
  Expected<Candidate> Search(const std::string& log_name, bool random, int evaluations) {
    const fs::path path = dir_ / log_name;
    EvolutionOptions eo = b_.evolution;
    eo.seed = req_.seed;
    eo.tie_holdout_images = b_.parents_among_ties ? std::ssize(val_rows_) : 0;
    const json options = random ? json{{"evaluations", evaluations}, {"seed", req_.seed + 1}}
                                : EvolutionJson(eo);
    SearchState state;
    if (auto old = ReadJson(path)) {
      if (old->value("options", json()) != options) {
        return Status::Error(fmt::format(
            "{} was searched with {}, this run asks for {}: give another --out, or delete it "
            "(and what follows it: pareto.*, best_*, final*, baseline_random*) to search again",
            path.string(), old->value("options", json()).dump(), options.dump()));
      }
      MCUNET_ASSIGN_OR_RETURN(state, SearchStateFromJson(old->dump()));
    }
    SpaceSearch search(space_, req_.constraints, [&](const ArchGenome& g) { return Fitness(g); });
    Status save_error;
    const auto save = [&](const SearchState& s) {
      json log = json::parse(SearchStateToJson(s));
      log["options"] = options;
      Status st = WriteAtomic(path, log.dump(1));
      if (!st.ok()) save_error = st;
    };
    const std::string phase = random ? "random search" : "evolution";
    const auto progress = [&](int done, int total) {
      Progress(phase, done, total, fmt::format("{} evaluated", state.evaluated.size()));
    };
    Expected<Candidate> best = random ? search.RandomSearch(evaluations, req_.seed + 1, state,
                                                            save, progress)
                                      : search.Evolve(eo, state, save, progress);
    MCUNET_RETURN_IF_ERROR(save_error);
    if (!best.ok()) return best;
    Log(fmt::format("{}: best {} held-out {:.2f}% ({} networks evaluated)", phase,
                    GenomeKey(best->genome), 100 * best->fitness, state.evaluated.size()));
    const Candidate kept = MostMacsAmongTies(state.evaluated, std::ssize(val_rows_));
    Log(fmt::format("{}: kept {} (held-out {:.2f}%, the most MACs among ties: {:.2f} M against "
                    "{:.2f} M), SRAM {} B, Flash {} B",
                    phase, GenomeKey(kept.genome), 100 * kept.fitness, kept.cost.macs / 1e6,
                    best->cost.macs / 1e6, kept.cost.peak_sram_bytes, kept.cost.flash_bytes));
    evaluated_ = state.evaluated;
    return kept;
  }

  Expected<Candidate> Evolve() {
    MCUNET_ASSIGN_OR_RETURN(Candidate kept, Search("search_log.json", false, 0));
    const std::vector<Candidate> front = ParetoFront(evaluated_);
    json front_json = json::array();
    for (const Candidate& c : front) {
      json item = CostJson(c.cost);
      item["arch"] = GenomeKey(c.genome);
      item["val_accuracy"] = c.fitness;
      front_json.push_back(item);
    }
    MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "pareto.json", front_json.dump(2)));
    MCUNET_RETURN_IF_ERROR(WriteAtomic(
        dir_ / "pareto.svg",
        ParetoSvg(evaluated_, front, kept, req_.constraints.sram_bytes,
                  fmt::format("Evolution on {} (w{}-r{}): held-out accuracy vs peak SRAM",
                              req_.dataset, space_.width, space_.resolution))));
    evolution_evaluations_ = static_cast<int>(evaluated_.size());
    return kept;
  }

  // Final training of a subnet: from the supernet's weights and (if the budget
  // says so) from scratch, keeping the better on held-out images; writes
  // NAME_arch.json, NAME_weights.pt and NAME.json (test accuracy in float of the
  // kept one).
  Expected<json> FinalTraining(const Candidate& c, const std::string& name) {
    const fs::path result_path = dir_ / (name + ".json");
    if (auto done = ReadJson(result_path)) return *done;
    const auto start = std::chrono::steady_clock::now();
    MCUNET_ASSIGN_OR_RETURN(double fitness, Fitness(c.genome));  // sets BN for the extraction
    ArchNet from_supernet{nullptr};
    MCUNET_RETURN_IF_ERROR(CatchTorch("extract", [&] {
      from_supernet = net_->Extract(c.genome);
      return OkStatus();
    }));
    const ArchConfig arch = from_supernet->arch;
    const bool is_final = name == "final";
    const std::string arch_file = is_final ? "best_arch.json" : name + "_arch.json";
    const std::string weights_file = is_final ? "best_weights.pt" : name + "_weights.pt";
    MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / arch_file, ArchToJson(arch)));
    MCUNET_ASSIGN_OR_RETURN(json supernet_init,
                            TrainOne(*from_supernet, arch.resolution, name + "_from_supernet"));
    json scratch_init;
    if (b_.final_also_from_scratch) {
      torch::manual_seed(req_.seed);
      ArchNet from_scratch(arch);
      MCUNET_ASSIGN_OR_RETURN(scratch_init,
                              TrainOne(*from_scratch, arch.resolution, name + "_from_scratch"));
    }
    // Ties go to the supernet's weights: the default recipe.
    const bool keep_scratch =
        b_.final_also_from_scratch &&
        scratch_init["val_accuracy"].get<double>() > supernet_init["val_accuracy"].get<double>();
    const std::string kept = name + (keep_scratch ? "_from_scratch" : "_from_supernet");
    ArchNet model(arch);
    MCUNET_RETURN_IF_ERROR(LoadModule(*model, (dir_ / (kept + ".pt")).string()));
    json r = CostJson(c.cost);
    MCUNET_ASSIGN_OR_RETURN(r["test_accuracy"], TestAccuracy(*model, arch.resolution));
    r["val_accuracy"] = (keep_scratch ? scratch_init : supernet_init)["val_accuracy"];
    r["init"] = keep_scratch ? "scratch" : "supernet";
    r["val_accuracy_from_supernet"] = supernet_init["val_accuracy"];
    if (b_.final_also_from_scratch) r["val_accuracy_from_scratch"] = scratch_init["val_accuracy"];
    r["train_steps"] = b_.final_steps;
    r["arch"] = GenomeKey(c.genome);
    r["arch_file"] = arch_file;
    r["weights_file"] = weights_file;
    r["supernet_val_accuracy"] = fitness;
    r["seconds_this_run"] = Seconds(start);
    const std::string choice =
        b_.final_also_from_scratch
            ? fmt::format("kept the {} start: held-out {:.2f}% vs {:.2f}%",
                          r["init"].get<std::string>(), 100 * r["val_accuracy"].get<double>(),
                          100 * (keep_scratch ? supernet_init : scratch_init)["val_accuracy"]
                                    .get<double>())
            : fmt::format("from the supernet: held-out {:.2f}%",
                          100 * r["val_accuracy"].get<double>());
    Log(fmt::format("{}: test accuracy {:.2f}% ({})", name, 100 * r["test_accuracy"].get<double>(),
                    choice));
    MCUNET_RETURN_IF_ERROR(KeepWeights(kept, weights_file, result_path, r));
    std::error_code ec;
    const std::string other = name + (keep_scratch ? "_from_supernet" : "_from_scratch");
    fs::remove(dir_ / (other + ".pt"), ec);
    fs::remove(dir_ / (other + ".json"), ec);
    return r;
  }

  // Trains `model` with the final recipe into TAG.pt and TAG.json (held-out
  // accuracy); a finished TAG.json is read back instead of training again.
  Expected<json> TrainOne(ArchNetImpl& model, int resolution, const std::string& tag) {
    const fs::path result_path = dir_ / (tag + ".json"), weights = dir_ / (tag + ".pt");
    if (auto done = ReadJson(result_path); done && fs::exists(weights)) return *done;
    TrainOptions o = BaseTrainOptions(b_.final_steps, b_.lr, tag + ".ckpt");
    o.resolution = resolution;
    o.progress = [&](int64_t step, int64_t total, double loss) {
      Progress(tag, step, total, fmt::format("loss {:.3f}", loss));
    };
    const double smoothing = o.label_smoothing;
    const StepFn step = [&](const torch::Tensor& x, const torch::Tensor& y, int64_t) {
      torch::Tensor loss = SmoothedCrossEntropy(model.forward(x), y, smoothing);
      loss.backward();
      return loss.item<double>();
    };
    MCUNET_ASSIGN_OR_RETURN(TrainResult tr, Train(model, train_, train_rows_, o, step));
    json r = {{"resumed_from_step", tr.resumed_from_step}, {"final_loss", tr.final_loss}};
    MCUNET_RETURN_IF_ERROR(CatchTorch("held-out accuracy", [&] {
      model.eval();
      r["val_accuracy"] = Accuracy([&](const torch::Tensor& x) { return model.forward(x); },
                                   train_, val_rows_, resolution);
      return OkStatus();
    }));
    MCUNET_RETURN_IF_ERROR(SaveModule(model, weights.string()));
    MCUNET_RETURN_IF_ERROR(WriteAtomic(result_path, r.dump(2)));
    fs::remove(o.checkpoint);  // TAG.pt holds the result
    return r;
  }

  // The test set is read only here, once per finished network.
  Expected<double> TestAccuracy(ArchNetImpl& model, int resolution) {
    double acc = 0;
    MCUNET_RETURN_IF_ERROR(CatchTorch("test", [&] {
      model.eval();
      acc = Accuracy([&](const torch::Tensor& x) { return model.forward(x); }, test_, test_rows_,
                     resolution);
      return OkStatus();
    }));
    return acc;
  }

  // `mcunet train --arch`: the given network with the data's input channels and
  // classes, measured by the planner and checked against the budgets given.
  Status FitGivenArch() {
    ArchConfig& arch = given_arch_;
    arch = *req_.arch;
    const int channels = data_.train.channels, classes = data_.num_classes;
    if (arch.first_conv.in_channels != channels || arch.num_classes != classes) {
      Log(fmt::format("{}: adapted to the data: {} -> {} input channels, {} -> {} classes",
                      arch.name, arch.first_conv.in_channels, channels, arch.num_classes, classes));
      arch.first_conv.in_channels = channels;
      arch.num_classes = classes;
    }
    MCUNET_ASSIGN_OR_RETURN(given_cost_, MeasureArch(arch));
    const ArchCost& cost = given_cost_;
    const Constraints& c = req_.constraints;
    if ((c.sram_bytes > 0 && cost.peak_sram_bytes > c.sram_bytes) ||
        (c.flash_bytes > 0 && cost.flash_bytes > c.flash_bytes)) {
      return Status::Error(fmt::format(
          "{} does not fit: peak SRAM {} B (budget {} B), Flash {} B (budget {} B)", arch.name,
          cost.peak_sram_bytes, c.sram_bytes, cost.flash_bytes, c.flash_bytes));
    }
    return OkStatus();
  }

  // One given network from scratch, as the baselines are.
  Expected<std::string> TrainGivenArch() {
    const fs::path result_path = dir_ / "trained.json";
    if (auto done = ReadJson(result_path)) return done->dump(2);
    const ArchConfig& arch = given_arch_;
    MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "trained_arch.json", ArchToJson(arch)));
    MCUNET_ASSIGN_OR_RETURN(
        json r, TrainFromScratch(arch, given_cost_, "trained", "trained_weights.pt",
                                 {{"arch", arch.name},
                                  {"arch_file", "trained_arch.json"},
                                  {"dataset", req_.dataset}}));
    Log(fmt::format("{}: test accuracy {:.2f}% (held-out {:.2f}%)", arch.name,
                    100 * r["test_accuracy"].get<double>(), 100 * r["val_accuracy"].get<double>()));
    return r.dump(2);
  }

  // Trains `arch` from scratch with the final recipe, tests it and keeps its
  // weights as `weights_file`; RESULT.json holds `fields`, the cost and the
  // accuracies. Shared by `train --arch` and the MobileNetV2 baseline.
  Expected<json> TrainFromScratch(const ArchConfig& arch, const ArchCost& cost,
                                  const std::string& result, const std::string& weights_file,
                                  const json& fields) {
    const auto start = std::chrono::steady_clock::now();
    const std::string tag = result + "_training";
    torch::manual_seed(req_.seed);
    ArchNet model(arch);
    MCUNET_ASSIGN_OR_RETURN(json r, TrainOne(*model, arch.resolution, tag));
    r.update(CostJson(cost));
    r.update(fields);
    MCUNET_ASSIGN_OR_RETURN(r["test_accuracy"], TestAccuracy(*model, arch.resolution));
    r["init"] = "scratch";
    r["train_steps"] = b_.final_steps;
    r["resolution"] = arch.resolution;
    r["weights_file"] = weights_file;
    r["seconds_this_run"] = Seconds(start);
    MCUNET_RETURN_IF_ERROR(KeepWeights(tag, weights_file, dir_ / (result + ".json"), r));
    return r;
  }

  // Copies TAG.pt to `weights_file`, writes the result, then drops TAG.pt: a
  // kill at any point leaves either the finished result or what resumes it.
  Status KeepWeights(const std::string& tag, const std::string& weights_file,
                     const fs::path& result_path, const json& result) {
    const fs::path trained = dir_ / (tag + ".pt");
    std::error_code ec;
    fs::copy_file(trained, dir_ / weights_file, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::Error(fmt::format("{}: {}", trained.string(), ec.message()));
    MCUNET_RETURN_IF_ERROR(WriteAtomic(result_path, result.dump(2)));
    fs::remove(trained, ec);
    fs::remove(dir_ / (tag + ".json"), ec);  // the result holds its figures
    return OkStatus();
  }

  Status MobileNetV2Baseline() {
    const fs::path result_path = dir_ / "baseline_mobilenetv2.json";
    if (auto done = ReadJson(result_path)) {
      results_["baselines"]["mobilenetv2"] = *done;
      return OkStatus();
    }
    std::vector<double> widths;
    for (int i = 2; i <= 20; ++i) widths.push_back(i * 0.05);
    std::vector<int> resolutions;
    for (int r = 32; r <= b_.max_resolution; r += 8) resolutions.push_back(r);
    MCUNET_ASSIGN_OR_RETURN(
        ScaledBaseline mb, ScaleMobileNetV2(widths, resolutions, space_.input_channels,
                                            space_.num_classes, req_.constraints));
    MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "baseline_mobilenetv2_arch.json", ArchToJson(mb.arch)));
    // From scratch (there is no supernet to start from), with the final recipe.
    MCUNET_ASSIGN_OR_RETURN(
        json r, TrainFromScratch(mb.arch, mb.cost, "baseline_mobilenetv2",
                                 "baseline_mobilenetv2_weights.pt",
                                 {{"arch", mb.arch.name}, {"width", mb.width}}));
    Log(fmt::format("MobileNetV2 baseline {}: test accuracy {:.2f}%", mb.arch.name,
                    100 * r["test_accuracy"].get<double>()));
    results_["baselines"]["mobilenetv2"] = r;
    return OkStatus();
  }

  Status RandomSearchBaseline() {
    MCUNET_ASSIGN_OR_RETURN(Candidate kept,
                            Search("random_search_log.json", true, evolution_evaluations_));
    MCUNET_ASSIGN_OR_RETURN(json r, FinalTraining(kept, "baseline_random"));
    r["evaluations"] = evaluated_.size();
    results_["baselines"]["random_search"] = r;
    return OkStatus();
  }

  Expected<std::string> Summary(bool complete) {
    json s = results_;
    s["dataset"] = req_.dataset;
    s["budget"] = b_.name;
    s["sram_budget_bytes"] = req_.constraints.sram_bytes;
    s["flash_budget_bytes"] = req_.constraints.flash_bytes;
    s["seed"] = req_.seed;
    s["complete"] = complete;
    s["evaluations"] = evolution_evaluations_;
    if (results_.contains("searched")) {
      for (const char* key : {"test_accuracy", "val_accuracy", "peak_sram_bytes", "flash_bytes",
                              "macs", "params"}) {
        s[key] = results_["searched"][key];
      }
      s["best_arch"] = "best_arch.json";
    }
    const std::string text = s.dump(2);
    MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "summary.json", text));
    return text;
  }

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
};

}  // namespace

Expected<std::string> RunStage2(const SearchRequest& request, Stage2Scope scope) {
  if (scope == Stage2Scope::kTrainArch && !request.arch) {
    return Status::Error("no network to train (--arch FILE)");
  }
  if (scope != Stage2Scope::kTrainArch &&
      (request.constraints.sram_bytes <= 0 || request.constraints.flash_bytes <= 0)) {
    return Status::Error("SRAM and Flash budgets must be positive");
  }
  at::set_num_threads(std::max(1, request.threads));
  Stage2Run run(request);
  Expected<std::string> result = Status::Error("unreached");
  Status st = CatchTorch("search", [&] {
    result = run.Run(scope);
    return OkStatus();
  });
  if (!st.ok()) return st;
  return result;
}

}  // namespace mcunet
