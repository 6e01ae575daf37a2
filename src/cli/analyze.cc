// mcunet analyze MODEL.tflite [--device NAME] [--json]
#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/arch_builder.h"
#include "cli/commands.h"
#include "cli/device_verdict.h"
#include "cli/memory_plot.h"
#include "compiler/compile_file.h"
#include "compiler/model_stats.h"

namespace mcunet::cli {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ",") + p;
  return s.empty() ? "-" : s;
}

void PrintTable(const std::string& model, const ModelStats& stats) {
  fmt::print("{}\n", model);
  fmt::print("{:>4}  {:<18} {:<22} {:<14} {:>12} {:>10} {:>10} {:>10}\n", "#", "op", "input",
             "output", "MACs", "weights B", "act B", "live B");
  for (size_t i = 0; i < stats.layers.size(); ++i) {
    const LayerStats& l = stats.layers[i];
    fmt::print("{:>4}  {:<18} {:<22} {:<14} {:>12} {:>10} {:>10} {:>10}{}\n", l.index, l.op,
               Join(l.input_shapes), l.output_shape, l.macs, l.weight_bytes, l.activation_bytes,
               l.live_bytes, static_cast<int>(i) == stats.peak_layer ? " <- peak" : "");
  }
  const LayerStats& peak = stats.layers.empty() ? LayerStats{} : stats.layers[stats.peak_layer];
  fmt::print(
      "total: {} layers, {} MACs, {} params, {} weight bytes; Flash {} bytes: {} of weights "
      "and requantisation tables + {} code estimate\n",
      stats.layers.size(), stats.macs, stats.params, stats.weights_bytes,
      stats.flash_bytes + kCodeBytesEstimate, stats.flash_bytes, kCodeBytesEstimate);
  fmt::print(
      "peak SRAM: {} bytes (arena, scratch included) vs {} TFLM-style baseline ({:.2f}x); "
      "lower bound {}\n",
      stats.peak_sram_bytes, stats.baseline_sram_bytes,
      stats.baseline_sram_bytes ? double(stats.peak_sram_bytes) / stats.baseline_sram_bytes : 0.0,
      stats.lower_bound_bytes);
  std::string live;
  for (const auto& b : peak.live) {
    live += fmt::format("{}{} ({} B)", live.empty() ? "" : ", ",
                        b.tensor < 0 ? "scratch" : "t" + std::to_string(b.tensor), b.bytes);
  }
  fmt::print(
      "busiest layer {} (operator {}, {}): {} bytes live ({}); the arena adds {} bytes of "
      "placement gaps\n",
      stats.peak_layer, peak.index, peak.op, peak.live_bytes, live,
      stats.peak_sram_bytes - peak.live_bytes);
}

nlohmann::json LiveJson(const LayerStats& l) {
  nlohmann::json live = nlohmann::json::array();
  for (const auto& b : l.live) {
    live.push_back({{"tensor", b.tensor < 0 ? nlohmann::json(nullptr) : nlohmann::json(b.tensor)},
                    {"bytes", b.bytes}});
  }
  return live;
}

nlohmann::json ToJson(const std::string& model, const ModelStats& stats) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerStats& l : stats.layers) {
    layers.push_back({{"index", l.index},
                      {"op", l.op},
                      {"input_shapes", l.input_shapes},
                      {"output_shape", l.output_shape},
                      {"macs", l.macs},
                      {"weight_bytes", l.weight_bytes},
                      {"activation_bytes", l.activation_bytes},
                      {"scratch_bytes", l.scratch_bytes},
                      {"live_bytes", l.live_bytes},
                      {"baseline_live_bytes", l.baseline_live_bytes},
                      {"live", LiveJson(l)}});
  }
  return {{"model", model},
          {"macs", stats.macs},
          {"params", stats.params},
          {"weights_bytes", stats.weights_bytes},
          // One meaning of flash_bytes everywhere (device verdict, search, firmware):
          // what the device's Flash must hold, code included.
          {"flash_bytes", stats.flash_bytes + kCodeBytesEstimate},
          {"data_flash_bytes", stats.flash_bytes},
          {"code_bytes_estimate", kCodeBytesEstimate},
          {"peak_sram_bytes", stats.peak_sram_bytes},
          {"baseline_sram_bytes", stats.baseline_sram_bytes},
          {"lower_bound_bytes", stats.lower_bound_bytes},
          {"peak_layer", stats.layers.empty() ? -1 : stats.layers[stats.peak_layer].index},
          {"layers", layers}};
}

}  // namespace

Command AddAnalyzeCommand(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto plot = std::make_shared<std::string>();
  auto arch = std::make_shared<std::string>();
  auto device = std::make_shared<std::string>();
  auto devices_file = std::make_shared<std::string>();
  auto compile_options = std::make_shared<CompileOptions>();
  app.add_option("model", *model, "Model file (.tflite, int8)");
  app.add_option("--arch", *arch,
                 "Instead of a model: a network config (ProxylessNAS/MCUNet JSON, e.g. "
                 "archs/mcunet-320kb-1mb_imagenet.json), built as an int8 graph with "
                 "pseudo-random weights");
  app.add_flag("--json", *json,
               "Print one JSON object (macs, params, weights_bytes, "
               "peak_sram_bytes, layers) instead of the table");
  app.add_option("--plot", *plot,
                 "Write the memory profile (ours against the TFLM-style baseline) as SVG");
  app.add_option("--device", *device,
                 "Say whether the model fits this device (`mcunet devices` lists them): SRAM and "
                 "Flash used against the device's, MACs, input and output quantisation, and the "
                 "latency at its clock from the engine's cost model");
  app.add_option("--devices", *devices_file, "Device profiles file (default: the built-in ones)");
  AddKeepFlashFlag(app, compile_options);
  app.footer(fmt::format(
      "Example: mcunet analyze models/tflm_person_detect.tflite --device stm32f746 --plot "
      "memory.svg\nSRAM is the planned arena (add a few hundred bytes of stack); Flash is weights "
      "and requantisation tables plus a {} kB code estimate; the latency is the cost model's "
      "(instructions per kernel fitted to QEMU counts). `mcunet validate --device` measures "
      "all three on the built firmware.",
      kCodeBytesEstimate / 1024));
  return [model, arch, json, plot, device, devices_file, compile_options]() {
    if (model->empty() == arch->empty()) {
      fmt::print(stderr, "error: give either MODEL.tflite or --arch ARCH.json\n");
      return 2;
    }
    auto found = FindOptionalDevice(*device, *devices_file);
    if (!found.ok()) {
      fmt::print(stderr, "error: {}\n", found.status().message());
      return 1;
    }
    const std::optional<DeviceProfile>& profile = *found;
    if (profile) FitFlashForSpeedToDevice(*profile, compile_options.get());
    auto compiled = arch->empty() ? CompileTfliteFile(*model, *compile_options)
                                  : CompileArchFile(*arch, *compile_options);
    if (!compiled.ok()) {
      fmt::print(stderr, "error: {}\n", compiled.status().message());
      return 1;
    }
    const ModelStats stats = ComputeModelStats(*compiled);
    DeviceVerdictInput verdict;
    if (profile) verdict = EstimatedVerdictInput(stats, *profile);
    if (!plot->empty()) {
      std::ofstream out(*plot);
      out << MemoryProfileSvg(arch->empty() ? *model : *arch, stats);
      if (!out) {
        fmt::print(stderr, "error: {}: cannot write the plot\n", *plot);
        return 1;
      }
    }
    if (*json) {
      nlohmann::json j = ToJson(arch->empty() ? *model : *arch, stats);
      if (!arch->empty()) j["training_params"] = ArchTrainingParams(*ReadArchFile(*arch));
      if (profile) j["device"] = DeviceVerdictJson(*profile, *compiled, verdict);
      fmt::print("{}\n", j.dump(2));
    } else {
      PrintTable(arch->empty() ? *model : *arch, stats);
      if (profile) PrintDeviceVerdict(*profile, *compiled, verdict);
    }
    return 0;
  };
}

}  // namespace mcunet::cli
