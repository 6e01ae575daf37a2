// ExportRun (nas/export.h): run folder -> quantised network -> int8 graph ->
// .tflite, with float and int8 test accuracy.
#include "nas/export.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "arch/arch_builder.h"
#include "compiler/compile.h"
#include "core/atomic_file.h"
#include "nas/memory_model.h"
#include "nas/stage2.h"
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

// The training rows and normalisation exactly as the run trained with them
// (Stage2Run::LoadData: the fixed held-out split, then the budget's prefix).
std::vector<int64_t> TrainRows(int64_t count, int64_t train_images) {
  const int64_t holdout = std::min<int64_t>(10000, count / 6);
  Split split = SplitIndices(count, holdout, kSplitSeed);
  if (static_cast<int64_t>(split.train.size()) > train_images) split.train.resize(train_images);
  return split.train;
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
  int64_t train_images = 0;
  try {
    r.dataset = config.at("dataset").get<std::string>();
    train_images = config.at("budget").at("train_images").get<int64_t>();
  } catch (const json::exception& e) {
    return Status::Error(fmt::format("{}: {}", config_path.string(), e.what()));
  }
  MCUNET_ASSIGN_OR_RETURN(Dataset data, LoadDataset(r.dataset));
  if (data.train.channels != arch.first_conv.in_channels || data.num_classes != arch.num_classes) {
    return Status::Error(fmt::format("{}: {} input channels and {} classes, the data set {} has {} and {}",
                                     r.arch_file, arch.first_conv.in_channels, arch.num_classes,
                                     r.dataset, data.train.channels, data.num_classes));
  }
  const std::vector<int64_t> train_rows = TrainRows(data.train.count, train_images);
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

  at::set_num_threads(std::max(1, req.threads));
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
    if (req.progress) req.progress("float test accuracy", 0, test_count);
    ImageTensors test = ToTensors(data.test);
    test.mean = train.mean;
    test.std = train.std;
    r.float_test_accuracy = Accuracy([&](const torch::Tensor& x) { return model->forward(x); },
                                     test, test_rows, arch.resolution);
    return OkStatus();
  }));
  r.input = quantized.input;

  ArchBuildOptions build;
  build.trained = &quantized;
  MCUNET_ASSIGN_OR_RETURN(Graph graph, BuildArchGraph(arch, build));
  auto compiled = Compile(graph);
  if (!compiled.ok()) return compiled.status().WithContext(r.arch_file + ": ");
  r.peak_sram_bytes = compiled->totals.peak_sram_bytes;
  r.flash_bytes = compiled->totals.flash_bytes;
  MCUNET_ASSIGN_OR_RETURN(ArchCost cost, MeasureArch(arch));
  r.search_peak_sram_bytes = cost.peak_sram_bytes;
  r.search_flash_bytes = cost.flash_bytes;
  // The int8 accuracy as `mcunet evaluate` measures it (same input convention).
  MCUNET_ASSIGN_OR_RETURN(std::unique_ptr<Executor> executor,
                          Executor::Create(std::move(compiled).value()));
  EvaluateOptions evaluate;
  evaluate.limit = test_count;
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
  // Last, once everything else succeeded; atomic. The record is what a search
  // reads back when it resumes.
  MCUNET_RETURN_IF_ERROR(WriteTfliteFile(graph, r.output));
  MCUNET_RETURN_IF_ERROR(
      WriteFileAtomically((dir / ("export" + suffix + ".json")).string(), ExportReportJson(r).dump(2)));
  return r;
}

}  // namespace mcunet
