// Final training of a searched network, the scaled MobileNetV2 baseline and
// `mcunet train --arch` (stage2_run.h); the test set is read only here.
#include <fmt/format.h>

#include "nas/baselines.h"
#include "nas/export.h"
#include "nas/memory_model.h"
#include "nas/torch/stage2_run.h"

namespace mcunet::stage2 {

Expected<json> Stage2Run::FinalTraining(const Candidate& c, const std::string& name) {
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
          ? fmt::format(
                "kept the {} start: held-out {:.2f}% vs {:.2f}%", r["init"].get<std::string>(),
                100 * r["val_accuracy"].get<double>(),
                100 * (keep_scratch ? supernet_init : scratch_init)["val_accuracy"].get<double>())
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

Expected<json> Stage2Run::TrainOne(ArchNetImpl& model, int resolution, const std::string& tag) {
  const fs::path result_path = dir_ / (tag + ".json"), weights = dir_ / (tag + ".pt");
  if (auto done = ReadJson(result_path); done && fs::exists(weights)) return *done;
  TrainOptions o = BaseTrainOptions(b_.final_steps, b_.lr, tag + ".ckpt");
  o.resolution = resolution;
  o.progress = [&](int64_t step, int64_t total, double loss) {
    Progress(tag.ends_with("_from_supernet") ? "training from the supernet's weights"
                                             : "training from scratch",
             step, total, fmt::format("loss {:.3f}", loss));
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
    r["val_accuracy"] = Accuracy([&](const torch::Tensor& x) { return model.forward(x); }, train_,
                                 val_rows_, resolution);
    return OkStatus();
  }));
  MCUNET_RETURN_IF_ERROR(SaveModule(model, weights.string()));
  MCUNET_RETURN_IF_ERROR(WriteAtomic(result_path, r.dump(2)));
  fs::remove(o.checkpoint);  // TAG.pt holds the result
  return r;
}

Expected<double> Stage2Run::TestAccuracy(ArchNetImpl& model, int resolution) {
  double acc = 0;
  MCUNET_RETURN_IF_ERROR(CatchTorch("test", [&] {
    model.eval();
    acc = Accuracy([&](const torch::Tensor& x) { return model.forward(x); }, test_, test_rows_,
                   resolution);
    return OkStatus();
  }));
  return acc;
}

Status Stage2Run::FitGivenArch() {
  ArchConfig& arch = given_arch_;
  arch = *req_.arch;
  const int channels = data_.train.channels, classes = data_.num_classes;
  if (arch.first_conv.in_channels != channels || arch.num_classes != classes) {
    Log(fmt::format("{}: adapted to the data: {} -> {} input channels, {} -> {} classes", arch.name,
                    arch.first_conv.in_channels, channels, arch.num_classes, classes));
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

Expected<std::string> Stage2Run::TrainGivenArch() {
  const fs::path result_path = dir_ / "trained.json";
  if (auto done = ReadJson(result_path)) return done->dump(2);
  const ArchConfig& arch = given_arch_;
  MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "trained_arch.json", ArchToJson(arch)));
  MCUNET_ASSIGN_OR_RETURN(
      json r,
      TrainFromScratch(
          arch, given_cost_, "trained", "trained_weights.pt",
          {{"arch", arch.name}, {"arch_file", "trained_arch.json"}, {"dataset", req_.dataset}}));
  Log(fmt::format("{}: test accuracy {:.2f}% (held-out {:.2f}%)", arch.name,
                  100 * r["test_accuracy"].get<double>(), 100 * r["val_accuracy"].get<double>()));
  return r.dump(2);
}

Expected<json> Stage2Run::TrainFromScratch(const ArchConfig& arch, const ArchCost& cost,
                                           const std::string& result,
                                           const std::string& weights_file, const json& fields) {
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

Status Stage2Run::KeepWeights(const std::string& tag, const std::string& weights_file,
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

Status Stage2Run::MobileNetV2Baseline() {
  const fs::path result_path = dir_ / "baseline_mobilenetv2.json";
  if (auto done = ReadJson(result_path)) {
    results_["baselines"]["mobilenetv2"] = *done;
    return OkStatus();
  }
  std::vector<double> widths;
  for (int i = 2; i <= 20; ++i) widths.push_back(i * 0.05);
  std::vector<int> resolutions;
  for (int r = 32; r <= b_.max_resolution; r += 8) resolutions.push_back(r);
  MCUNET_ASSIGN_OR_RETURN(ScaledBaseline mb,
                          ScaleMobileNetV2(widths, resolutions, space_.input_channels,
                                           space_.num_classes, req_.constraints));
  MCUNET_RETURN_IF_ERROR(WriteAtomic(dir_ / "baseline_mobilenetv2_arch.json", ArchToJson(mb.arch)));
  // From scratch (there is no supernet to start from), with the final recipe.
  MCUNET_ASSIGN_OR_RETURN(json r, TrainFromScratch(mb.arch, mb.cost, "baseline_mobilenetv2",
                                                   "baseline_mobilenetv2_weights.pt",
                                                   {{"arch", mb.arch.name}, {"width", mb.width}}));
  Log(fmt::format("MobileNetV2 baseline {}: test accuracy {:.2f}%", mb.arch.name,
                  100 * r["test_accuracy"].get<double>()));
  results_["baselines"]["mobilenetv2"] = r;
  return OkStatus();
}

Status Stage2Run::ExportInt8() {
  for (const std::string network : kExportNetworks) {
    json* result = network == "searched" ? &results_["searched"]
                   : network == "mobilenetv2"
                       ? (results_.contains("baselines") ? &results_["baselines"]["mobilenetv2"] : nullptr)
                       : (results_.contains("baselines") ? &results_["baselines"]["random_search"]
                                                         : nullptr);
    if (result == nullptr || result->is_null()) continue;
    const std::string suffix = network == "searched" ? "" : "_" + network;
    const fs::path record = dir_ / ("export" + suffix + ".json");
    if (auto done = ReadJson(record); done && fs::exists(done->value("output", std::string()))) {
      (*result)["int8"] = *done;
      continue;
    }
    ExportRequest e;
    e.run_dir = dir_.string();
    e.network = network;
    e.calibration_images = req_.calibration_images;
    e.qat_steps = req_.qat_steps;
    e.threads = req_.threads;
    e.device = req_.device;
    e.firmware_images = req_.firmware_images;
    e.plugin = req_.plugin;
    e.progress = [&](const std::string& phase, int64_t done, int64_t total) {
      Progress(network + " network, " + phase, done, total, "");
    };
    MCUNET_ASSIGN_OR_RETURN(ExportReport r, ExportRun(e));
    (*result)["int8"] = ExportReportJson(r);
    std::string firmware;
    if (r.firmware) {
      firmware = fmt::format(", firmware {} on {}: {}, {} instructions", r.firmware->dir,
                             r.firmware->core,
                             r.firmware->bit_exact ? "bit-exact" : "DIFFERS from the host",
                             r.firmware->instructions);
    }
    Log(fmt::format("{}: int8 test accuracy {:.2f}% (float {:.2f}%, {}), {}{}", network,
                    100 * r.int8_test_accuracy, 100 * r.float_test_accuracy, r.quantisation,
                    r.output, firmware));
  }
  return OkStatus();
}

}  // namespace mcunet::stage2
