// ExportRun (nas/export.h): run folder -> quantised network -> int8 graph ->
// .tflite, with float and int8 test accuracy.
#include "nas/export.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "arch/arch_builder.h"
#include "compiler/compile.h"
#include "core/atomic_file.h"
#include "nas/memory_model.h"
#include "nas/stage2.h"
#include "nas/torch/qat.h"
#include "nas/torch/quantize.h"
#include "nas/torch/trainer.h"
#include "runtime/evaluate.h"
#include "tflite/writer.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Expected<json> ReadJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Status::Error(fmt::format("{}: cannot open file", path.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return Status::Error(fmt::format("{}: not valid JSON ({})", path.string(), e.what()));
  }
}

// QAT fine-tunes already trained weights: a tenth of the training's peak
// learning rate, so that its steps refine them rather than undo them.
constexpr double kQatLrFraction = 0.1;

// The int8 graph of `arch` with `quantized`'s tensors, compiled; an executor on it.
Expected<std::unique_ptr<Executor>> Int8Executor(const ArchConfig& arch,
                                                 const QuantizedArch& quantized,
                                                 const std::string& arch_file, Graph* graph) {
  ArchBuildOptions build;
  build.trained = &quantized;
  MCUNET_ASSIGN_OR_RETURN(Graph g, BuildArchGraph(arch, build));
  // The Flash the search measured (nas/memory_model.cc): no constants widened for speed.
  CompileOptions options;
  options.flash_for_speed = false;
  auto compiled = Compile(g, options);
  if (!compiled.ok()) return compiled.status().WithContext(arch_file + ": ");
  if (graph) *graph = std::move(g);
  return Executor::Create(std::move(compiled).value());
}

// LoadModule, plus the shape check libtorch's archive does not make (it
// replaces a parameter by whatever tensor the file holds); one-line errors.
Status LoadWeights(ArchNetImpl& model, const std::string& path, const std::string& arch_file) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> expected;
  for (const auto& p : model.named_parameters()) expected.emplace_back(p.key(), p.value().sizes().vec());
  for (const auto& b : model.named_buffers()) expected.emplace_back(b.key(), b.value().sizes().vec());
  const Status loaded = LoadModule(model, path);
  if (!loaded.ok()) {
    const std::string m = loaded.message();
    return Status::Error(fmt::format("{}: cannot read the weights (corrupt file?): {}", path,
                                     m.substr(0, m.find('\n'))));
  }
  std::map<std::string, std::vector<int64_t>> got;
  for (const auto& p : model.named_parameters()) got[p.key()] = p.value().sizes().vec();
  for (const auto& b : model.named_buffers()) got[b.key()] = b.value().sizes().vec();
  for (const auto& [name, sizes] : expected) {
    if (got[name] != sizes) {
      return Status::Error(fmt::format("{}: '{}' has shape [{}], {} needs [{}]", path, name,
                                       fmt::join(got[name], ", "), arch_file,
                                       fmt::join(sizes, ", ")));
    }
  }
  return OkStatus();
}

// The arch and weights files of `network` in a run folder.
Expected<std::pair<fs::path, fs::path>> NetworkFiles(const fs::path& dir,
                                                     const std::string& network) {
  if (network == "searched") {
    // A search keeps best_*; `train --arch` keeps trained_*.
    const bool searched = fs::exists(dir / "best_arch.json");
    return std::pair{dir / (searched ? "best_arch.json" : "trained_arch.json"),
                     dir / (searched ? "best_weights.pt" : "trained_weights.pt")};
  }
  if (network == "mobilenetv2") {
    return std::pair{dir / "baseline_mobilenetv2_arch.json",
                     dir / "baseline_mobilenetv2_weights.pt"};
  }
  if (network == "random_search") {
    return std::pair{dir / "baseline_random_arch.json", dir / "baseline_random_weights.pt"};
  }
  return Status::Error(fmt::format(
      "--network {}: must be searched, mobilenetv2 or random_search", network));
}

}  // namespace

Expected<ExportReport> ExportRun(const ExportRequest& req) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path dir = req.run_dir;
  ExportReport r;
  r.network = req.network;
  if (!fs::is_directory(dir)) {
    return Status::Error(fmt::format("{}: no such run folder", dir.string()));
  }
  MCUNET_ASSIGN_OR_RETURN(auto files, NetworkFiles(dir, req.network));
  const auto& [arch_path, weights_path] = files;
  if (!fs::exists(arch_path)) {
    return Status::Error(
        req.network == "searched"
            ? fmt::format("{}: no best_arch.json (search) or trained_arch.json (train --arch): "
                          "not a finished run",
                          dir.string())
            : fmt::format("{}: missing (the run has no {} baseline: searched with "
                          "--no-baselines, or not finished)",
                          arch_path.string(), req.network));
  }
  if (!fs::exists(weights_path)) {
    return Status::Error(fmt::format("{}: missing (the run has not finished its final training)",
                                     weights_path.string()));
  }
  const std::string suffix = req.network == "searched" ? "" : "_" + req.network;
  r.arch_file = arch_path.string();
  r.weights_file = weights_path.string();
  r.output = !req.output.empty() ? req.output
             : req.network == "searched" ? (dir / "model.tflite").string()
                                         : (dir / (req.network + ".tflite")).string();
  MCUNET_ASSIGN_OR_RETURN(ArchConfig arch, ReadArchFile(r.arch_file));
  r.arch_name = arch.name;
  r.resolution = arch.resolution;
  const fs::path config_path = dir / "config.json";
  MCUNET_ASSIGN_OR_RETURN(json config, ReadJsonFile(config_path));
  int64_t train_images = 0, validation_images = 0;
  double lr = 0;
  bool augment = true;
  try {
    r.dataset = config.at("dataset").get<std::string>();
    train_images = config.at("budget").at("train_images").get<int64_t>();
    validation_images = config.at("budget").at("validation_images").get<int64_t>();
    lr = config.at("budget").at("lr").get<double>();
    augment = config.at("budget").value("augment", true);
  } catch (const json::exception& e) {
    return Status::Error(fmt::format("{}: {}", config_path.string(), e.what()));
  }
  MCUNET_ASSIGN_OR_RETURN(Dataset data, LoadDataset(r.dataset));
  if (data.train.channels != arch.first_conv.in_channels || data.num_classes != arch.num_classes) {
    return Status::Error(fmt::format("{}: {} input channels and {} classes, the data set {} has {} and {}",
                                     r.arch_file, arch.first_conv.in_channels, arch.num_classes,
                                     r.dataset, data.train.channels, data.num_classes));
  }
  const RunRows rows = SplitTrainingRows(data.train.count, train_images, validation_images);
  const std::vector<int64_t>& train_rows = rows.train;
  if (req.calibration_images < 1 ||
      req.calibration_images > static_cast<int64_t>(train_rows.size())) {
    return Status::Error(fmt::format("--calibration-images {}: give 1 to {} (the run's training images)",
                                     req.calibration_images, train_rows.size()));
  }
  // A fixed sample of the training rows (seed apart from the recalibration sample's).
  std::vector<int64_t> calibration_rows;
  for (int64_t i : SplitIndices(static_cast<int64_t>(train_rows.size()), req.calibration_images,
                                kSplitSeed + 2)
                       .holdout) {
    calibration_rows.push_back(train_rows[i]);
  }
  r.calibration_images = req.calibration_images;
  std::vector<int64_t> test_rows;
  const int64_t test_count = req.test_images > 0 ? std::min(req.test_images, data.test.count)
                                                 : data.test.count;
  for (int64_t i = 0; i < test_count; ++i) test_rows.push_back(i);
  r.test_images = test_count;
  if (req.qat_steps < 0) {
    return Status::Error(fmt::format("--qat-steps {}: give 0 (never) or more", req.qat_steps));
  }

  PrepareTorchCpu(req.threads);
  const ImageSet validation = SubsetOf(data.train, rows.validation);
  const auto int8_validation = [&](const QuantizedArch& q) -> Expected<double> {
    MCUNET_ASSIGN_OR_RETURN(auto executor, Int8Executor(arch, q, r.arch_file, nullptr));
    EvaluateOptions options;
    options.threads = req.threads;
    MCUNET_ASSIGN_OR_RETURN(Evaluation e,
                            EvaluateClassifier(*executor, validation, data.num_classes, options));
    return e.top1;
  };
  ArchNet model{nullptr};
  QuantizedArch quantized;
  MCUNET_RETURN_IF_ERROR(CatchTorch("export", [&]() -> Status {
    model = ArchNet(arch);
    MCUNET_RETURN_IF_ERROR(LoadWeights(*model, r.weights_file, r.arch_file));
    model->eval();
    ImageTensors train = ToTensors(data.train);
    SetNormalisation(train, train_rows);
    const torch::Tensor calibration =
        MakeInputs(train, torch::tensor(calibration_rows), arch.resolution, nullptr);
    MCUNET_ASSIGN_OR_RETURN(quantized,
                            QuantizeArchNet(*model, calibration, train.mean, train.std));
    // Post-training quantisation against float on the held-out images; QAT
    // when it loses more than the threshold, kept only if it does better there.
    if (req.progress) req.progress("held-out accuracy", 0, 2);
    r.float_val_accuracy = Accuracy([&](const torch::Tensor& x) { return model->forward(x); },
                                    train, rows.validation, arch.resolution);
    MCUNET_ASSIGN_OR_RETURN(r.ptq_val_accuracy, int8_validation(quantized));
    r.quantisation = "ptq";
    if (req.qat_steps > 0 && (req.qat_threshold <= 0 ||
                              r.float_val_accuracy - r.ptq_val_accuracy > req.qat_threshold)) {
      ArchNet tuned(arch);
      MCUNET_RETURN_IF_ERROR(LoadWeights(*tuned, r.weights_file, r.arch_file));
      TrainOptions o;
      o.steps = req.qat_steps;
      o.lr = lr * kQatLrFraction;
      o.warmup_steps = std::max<int64_t>(1, req.qat_steps / 20);
      o.resolution = arch.resolution;
      o.augment = augment;
      o.checkpoint = (dir / ("qat" + suffix + ".ckpt")).string();
      o.progress = [&](int64_t step, int64_t total, double) {
        if (req.progress) req.progress("quantisation-aware training", step, total);
      };
      MCUNET_RETURN_IF_ERROR(
          QuantizationAwareFineTune(*tuned, quantized, train, train_rows, o).status());
      tuned->eval();
      MCUNET_ASSIGN_OR_RETURN(QuantizedArch qat,
                              QuantizeArchNet(*tuned, calibration, train.mean, train.std));
      MCUNET_ASSIGN_OR_RETURN(double qat_val, int8_validation(qat));
      r.qat_val_accuracy = qat_val;
      r.qat_steps = req.qat_steps;
      if (qat_val > r.ptq_val_accuracy) {
        quantized = std::move(qat);
        r.quantisation = "qat";
      }
    }
    if (req.progress) req.progress("float test accuracy", 0, test_count);
    ImageTensors test = ToTensors(data.test);
    test.mean = train.mean;
    test.std = train.std;
    r.float_test_accuracy = Accuracy([&](const torch::Tensor& x) { return model->forward(x); },
                                     test, test_rows, arch.resolution);
    return OkStatus();
  }));
  r.input = quantized.input;

  Graph graph;
  MCUNET_ASSIGN_OR_RETURN(std::unique_ptr<Executor> executor,
                          Int8Executor(arch, quantized, r.arch_file, &graph));
  r.peak_sram_bytes = executor->model().totals.peak_sram_bytes;
  r.flash_bytes = executor->model().totals.flash_bytes;
  MCUNET_ASSIGN_OR_RETURN(ArchCost cost, MeasureArch(arch));
  r.search_peak_sram_bytes = cost.peak_sram_bytes;
  r.search_flash_bytes = cost.flash_bytes;
  // The int8 accuracy as `mcunet evaluate` measures it (same input convention).
  EvaluateOptions evaluate;
  evaluate.limit = test_count;
  evaluate.threads = req.threads;
  evaluate.progress = [&](int64_t done, int64_t total, int64_t) {
    if (req.progress && (done % 100 == 0 || done == total)) {
      req.progress("int8 test accuracy", done, total);
    }
  };
  MCUNET_ASSIGN_OR_RETURN(Evaluation int8,
                          EvaluateClassifier(*executor, data.test, data.num_classes, evaluate));
  r.int8_test_accuracy = int8.top1;
  if (req.device) {
    r.device = req.device->name;
    FirmwareRequest firmware;
    firmware.dir = !req.firmware_dir.empty() ? req.firmware_dir
                                             : (dir / ("firmware" + suffix)).string();
    firmware.device = *req.device;
    firmware.images = req.firmware_images;
    firmware.plugin = req.plugin;
    firmware.model_description = r.output;
    if (req.progress) req.progress("firmware under QEMU", 0, req.firmware_images);
    MCUNET_ASSIGN_OR_RETURN(r.firmware, BuildAndCheckFirmware(*executor, data.test, firmware));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Last, once everything else succeeded; atomic. The record is what a search
  // reads back when it resumes.
  MCUNET_RETURN_IF_ERROR(WriteTfliteFile(graph, r.output));
  MCUNET_RETURN_IF_ERROR(
      WriteFileAtomically((dir / ("export" + suffix + ".json")).string(), ExportReportJson(r).dump(2)));
  std::error_code ec;
  fs::remove(dir / ("qat" + suffix + ".ckpt"), ec);  // kept only to resume a killed export
  return r;
}

}  // namespace mcunet
