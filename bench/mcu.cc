// Per shipped model on an emulated Cortex-M7 (QEMU mps2-an500): instructions per
// inference (deterministic: QEMU models no cycles), Flash, code size without
// weights, SRAM (statics + painted stack) and the planned arena. Table or --json.
// --per-layer adds each layer's count (a profiling build) beside the cost model's estimate.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "compiler/compile_file.h"
#include "compiler/cost_model.h"
#include "firmware_project.h"
#include "model_files.h"

namespace {

// TF Lite Micro + CMSIS-NN instructions per inference by model name, from the anchors file.
std::map<std::string, int64_t> CmsisAnchors(const std::string& path) {
  std::map<std::string, int64_t> anchors;
  std::ifstream f(path);
  for (std::string model, variant, insns, rest;
       f >> model >> variant >> insns && std::getline(f, rest);) {
    if (variant == "cmsis") anchors[model] = std::stoll(insns);
  }
  return anchors;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generated C on an emulated Cortex-M: instructions, Flash, code and SRAM per model"};
  std::vector<std::string> models;
  std::string target = "cortex-m7", plugin = mcunet::DefaultPluginPath();
  std::string anchors_path = "bench/anchors/tflm_cortex_m7.tsv";
  bool json = false, per_layer = false;
  app.add_option("models", models, "Model files (default: every models/*.tflite)");
  app.add_option("--target", target,
                 "cortex-m7, cortex-m4 or cortex-m0plus (ARMv6-M code on QEMU mps2-an385)");
  app.add_option("--plugin", plugin, "Path of mcunet_insn_count.so");
  app.add_option("--anchors", anchors_path, "TF Lite Micro's instructions (cortex-m7 only)");
  app.add_flag("--json", json, "Print JSON");
  app.add_flag("--per-layer", per_layer,
               "Also count each layer (a second, profiling build) and print it beside the cost "
               "model's estimate");
  CLI11_PARSE(app, argc, argv);
  models = ModelFiles(models);
  const auto anchors =
      target == "cortex-m7" ? CmsisAnchors(anchors_path) : std::map<std::string, int64_t>{};
  std::vector<double> ratios;
  nlohmann::json rows = nlohmann::json::array();
  if (!json) {
    fmt::print("{:<30} {:>14} {:>8} {:>12} {:>7} {:>10} {:>9} {:>9} {:>9} {:>7}\n",
               "model (" + target + ")", "instructions", "per MAC", "TFLM+CMSIS", "ratio",
               "flash B", "code B", "SRAM B", "arena B", "stack B");
  }
  for (const auto& path : models) {
    auto project = WriteFirmwareProject(path, "mcunet_bench_mcu");
    if (!project) continue;
    const mcunet::CompiledModel* model = &project->model;
    const std::string dir = project->dir;
    const std::vector<uint8_t>& input = project->input;
    auto run = mcunet::RunOnQemu(dir, "model", target, input, plugin);
    auto layered = per_layer && run.ok()
                       ? mcunet::RunOnQemu(dir, "model", target, input, plugin, 300, true)
                       : run;
    std::filesystem::remove_all(dir);
    if (!layered.ok()) run = layered;
    if (!run.ok()) {
      fmt::print(stderr, "{}: {}\n", path, run.status().message());
      continue;
    }
    const std::string name = std::filesystem::path(path).stem().string();
    const int64_t macs = model->totals.macs;
    const auto anchor = anchors.find(name);
    const int64_t cmsis = anchor == anchors.end() ? 0 : anchor->second;
    const double ratio = cmsis > 0 ? double(run->instructions) / cmsis : 0.0;
    // The target's geometric mean covers models above 1 M MACs (issue 21).
    if (ratio > 0 && macs > 1000000) ratios.push_back(ratio);
    rows.push_back({{"model", name},
                    {"target", target},
                    {"instructions", run->instructions},
                    {"macs", macs},
                    {"tflm_cmsis_instructions", cmsis},
                    {"ratio_to_tflm_cmsis", ratio},
                    {"flash_bytes", run->flash_bytes},
                    {"code_bytes", run->code_bytes},
                    {"sram_bytes", run->sram_bytes},
                    {"arena_bytes", model->arena_bytes()},
                    {"stack_bytes", run->stack_bytes}});
    if (per_layer) {
      const mcunet::ModelStats stats = mcunet::ComputeModelStats(*model);
      const mcunet::CostEstimate estimate = mcunet::EstimateInstructions(stats, target);
      nlohmann::json layers = nlohmann::json::array();
      if (!json) {
        fmt::print("  {:>4} {:<18} {:<31} {:<16} {:>10} {:>11} {:>7} {:>11} {:>8}\n", "layer", "op",
                   "kernel", "output", "MACs", "instructions", "per MAC", "cost model", "error");
      }
      for (size_t l = 0; l < stats.layers.size(); ++l) {
        const auto& layer = stats.layers[l];
        const int64_t n = layered->layer_instructions[l];
        layers.push_back({{"layer", l},
                          {"op", layer.op},
                          {"kernel", layer.kernel},
                          {"output_shape", layer.output_shape},
                          {"macs", layer.macs},
                          {"instructions", n},
                          {"cost_model", estimate.layers[l]}});
        if (!json) {
          fmt::print("  {:>4} {:<18} {:<31} {:<16} {:>10} {:>11} {:>7} {:>11} {:>+7.1f}%\n", l,
                     layer.op.substr(0, 18), layer.kernel.substr(0, 31),
                     layer.output_shape.substr(0, 16), layer.macs, n,
                     layer.macs > 0 ? fmt::format("{:.2f}", double(n) / layer.macs) : "-",
                     estimate.layers[l], n > 0 ? 100.0 * (estimate.layers[l] - n) / n : 0.0);
        }
      }
      rows.back()["layers"] = layers;
      rows.back()["cost_model"] = estimate.instructions;
    }
    if (!json) {
      fmt::print("{:<30} {:>14} {:>8} {:>12} {:>7} {:>10} {:>9} {:>9} {:>9} {:>7}\n",
                 name.substr(0, 30), run->instructions,
                 macs > 0 ? fmt::format("{:.2f}", double(run->instructions) / macs) : "-",
                 cmsis > 0 ? std::to_string(cmsis) : "-",
                 cmsis > 0 ? fmt::format("{:.2f}x", ratio) : "-", run->flash_bytes, run->code_bytes,
                 run->sram_bytes, model->arena_bytes(), run->stack_bytes);
    }
  }
  double log_sum = 0;
  for (double r : ratios) log_sum += std::log(r);
  const double geomean = ratios.empty() ? 0.0 : std::exp(log_sum / ratios.size());
  if (json) {
    fmt::print("{}\n",
               nlohmann::json{{"models", rows}, {"geomean_ratio_over_1M_macs", geomean}}.dump(2));
  } else if (!ratios.empty()) {
    fmt::print(
        "geometric mean of the ratio to TFLM + CMSIS-NN over the {} models above 1 M MACs: "
        "{:.2f}x\n",
        ratios.size(), geomean);
  }
  return 0;
}
