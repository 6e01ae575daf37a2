// mcunet analyze MODEL.tflite [--json]
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "runtime/load_model.h"
#include "runtime/model_stats.h"

namespace mcunet::cli {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ",") + p;
  return s.empty() ? "-" : s;
}

void PrintTable(const std::string& model, const ModelStats& stats) {
  fmt::print("{}\n", model);
  fmt::print("{:>4}  {:<18} {:<22} {:<14} {:>12} {:>10} {:>10}\n", "#", "op", "input", "output",
             "MACs", "weights B", "act B");
  for (const LayerStats& l : stats.layers) {
    fmt::print("{:>4}  {:<18} {:<22} {:<14} {:>12} {:>10} {:>10}\n", l.index, l.op,
               Join(l.input_shapes), l.output_shape, l.macs, l.weight_bytes, l.activation_bytes);
  }
  fmt::print(
      "total: {} layers, {} MACs, {} params, {} weight bytes, {} arena bytes "
      "(peak SRAM, activations + scratch)\n",
      stats.layers.size(), stats.macs, stats.params, stats.weights_bytes, stats.peak_sram_bytes);
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
                      {"scratch_bytes", l.scratch_bytes}});
  }
  return {{"model", model},
          {"macs", stats.macs},
          {"params", stats.params},
          {"weights_bytes", stats.weights_bytes},
          {"peak_sram_bytes", stats.peak_sram_bytes},
          {"layers", layers}};
}

}  // namespace

Command AddAnalyzeCommand(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  app.add_option("model", *model, "Model file (.tflite, int8)")->required();
  app.add_flag("--json", *json,
               "Print one JSON object (macs, params, weights_bytes, "
               "peak_sram_bytes, layers) instead of the table");
  app.footer("Example: mcunet analyze models/tflm_person_detect.tflite --json");
  return [model, json]() {
    auto executor = LoadModel(*model);
    if (!executor.ok()) {
      fmt::print(stderr, "error: {}\n", executor.status().message());
      return 1;
    }
    const ModelStats stats = ComputeModelStats(**executor);
    if (*json) {
      fmt::print("{}\n", ToJson(*model, stats).dump(2));
    } else {
      PrintTable(*model, stats);
    }
    return 0;
  };
}

}  // namespace mcunet::cli
