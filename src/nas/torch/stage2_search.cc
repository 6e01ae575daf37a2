// The supernet's training and the two searches over it: evolution and the
// random-search baseline (stage2_run.h).
#include <fmt/format.h>

#include "nas/search_report.h"
#include "nas/torch/stage2_run.h"

namespace mcunet::stage2 {
namespace {

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

}  // namespace

Status Stage2Run::TrainSupernet(Stage2Scope scope) {
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
    Progress("", step, total, fmt::format("loss {:.3f}", loss));
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
  if (tr.resumed_from_step > 0)
    Log(fmt::format("supernet: resumed at step {}", tr.resumed_from_step));
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

Expected<double> Stage2Run::Fitness(const ArchGenome& g) {
  double acc = 0;
  MCUNET_RETURN_IF_ERROR(CatchTorch("evaluation", [&] {
    RecalibrateBn(net_, g, train_, recal_rows_, space_.resolution);
    acc = Accuracy([&](const torch::Tensor& x) { return net_->forward(x, g); }, train_, val_rows_,
                   space_.resolution);
    return OkStatus();
  }));
  return acc;
}

Expected<Candidate> Stage2Run::Search(const std::string& log_name, bool random, int evaluations) {
  const fs::path path = dir_ / log_name;
  EvolutionOptions eo = b_.evolution;
  eo.seed = req_.seed;
  eo.tie_holdout_images = b_.parents_among_ties ? std::ssize(val_rows_) : 0;
  const json options =
      random ? json{{"evaluations", evaluations}, {"seed", req_.seed + 1}} : EvolutionJson(eo);
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
    Progress(random ? "search" : "", done, total,
             fmt::format("{} evaluated", state.evaluated.size()));
  };
  Expected<Candidate> best =
      random ? search.RandomSearch(evaluations, req_.seed + 1, state, save, progress)
             : search.Evolve(eo, state, save, progress);
  MCUNET_RETURN_IF_ERROR(save_error);
  if (!best.ok()) return best;
  Log(fmt::format("{}: best {} held-out {:.2f}% ({} networks evaluated)", phase,
                  GenomeKey(best->genome), 100 * best->fitness, state.evaluated.size()));
  const Candidate kept = MostMacsAmongTies(state.evaluated, std::ssize(val_rows_));
  Log(
      fmt::format("{}: kept {} (held-out {:.2f}%, the most MACs among ties: {:.2f} M against "
                  "{:.2f} M), SRAM {} B, Flash {} B",
                  phase, GenomeKey(kept.genome), 100 * kept.fitness, kept.cost.macs / 1e6,
                  best->cost.macs / 1e6, kept.cost.peak_sram_bytes, kept.cost.flash_bytes));
  evaluated_ = state.evaluated;
  return kept;
}

Expected<Candidate> Stage2Run::Evolve() {
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
  MCUNET_RETURN_IF_ERROR(
      WriteAtomic(dir_ / "pareto.svg",
                  ParetoSvg(evaluated_, front, kept, req_.constraints.sram_bytes,
                            req_.constraints.flash_bytes,
                            fmt::format("Evolution on {} (w{}-r{}): held-out accuracy vs peak SRAM and Flash",
                                        req_.dataset, space_.width, space_.resolution))));
  evolution_evaluations_ = static_cast<int>(evaluated_.size());
  return kept;
}

Status Stage2Run::RandomSearchBaseline() {
  MCUNET_ASSIGN_OR_RETURN(Candidate kept,
                          Search("random_search_log.json", true, evolution_evaluations_));
  MCUNET_ASSIGN_OR_RETURN(json r, FinalTraining(kept, "baseline_random"));
  r["evaluations"] = evaluated_.size();
  results_["baselines"]["random_search"] = r;
  return OkStatus();
}

}  // namespace mcunet::stage2
