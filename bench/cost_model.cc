// The engine's cost model against the instructions counted under QEMU: per model,
// the measured count, the prediction of the committed table (compiler/cost_model.cc),
// and the predictions of a table fitted here on every model and on every model but
// the one predicted (leave-one-out: how well the model generalises to a network
// it has not seen). --print-table prints the fitted table as C++ to commit.
#include "compiler/cost_model.h"

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "compiler/compile_file.h"
#include "firmware_project.h"
#include "model_files.h"

namespace {

using Features = std::array<double, mcunet::kCostFeatures>;

struct Sample {
  int model;
  std::string kernel;
  Features features;
  double instructions;
};

// min sum_i w_i (x . f_i - y_i)^2 over x >= 0, by coordinate descent on the
// normal equations with columns scaled to unit norm. Weights 1/y: every layer's
// relative error counts, small layers not drowned by large ones.
Features FitNonNegative(const std::vector<const Sample*>& rows) {
  constexpr int n = mcunet::kCostFeatures;
  Features scale{};
  for (const Sample* r : rows)
    for (int j = 0; j < n; ++j) scale[j] += r->features[j] * r->features[j] / r->instructions;
  for (double& s : scale) s = s > 0 ? std::sqrt(s) : 1.0;
  double h[n][n] = {}, g[n] = {};
  for (const Sample* r : rows) {
    const double w = 1.0 / r->instructions;
    for (int a = 0; a < n; ++a) {
      g[a] += w * r->features[a] / scale[a] * r->instructions;
      for (int b = 0; b < n; ++b)
        h[a][b] += w * r->features[a] / scale[a] * r->features[b] / scale[b];
    }
  }
  // The sweep tries size-proportional figures before the per-call constant, so a
  // kernel measured on one layer only is explained by its size (and scales with it).
  constexpr int kOrder[n] = {7, 1, 2, 4, 3, 5, 6, 0};
  Features x{};
  for (int sweep = 0; sweep < 20000; ++sweep) {
    for (int a : kOrder) {
      if (h[a][a] <= 0) continue;
      double grad = -g[a];
      for (int b = 0; b < n; ++b) grad += h[a][b] * x[b];
      x[a] = std::max(0.0, x[a] - grad / h[a][a]);
    }
  }
  for (int j = 0; j < n; ++j) x[j] /= scale[j];
  return x;
}

using Table = std::map<std::string, Features>;

Table Fit(const std::vector<Sample>& samples, int leave_out) {
  std::map<std::string, std::vector<const Sample*>> by_kernel;
  for (const Sample& s : samples) {
    if (s.model != leave_out && s.instructions > 0) by_kernel[s.kernel].push_back(&s);
  }
  Table table;
  for (const auto& [kernel, rows] : by_kernel) table[kernel] = FitNonNegative(rows);
  return table;
}

double Predict(const Table& table, const std::vector<Sample>& samples, int model, double overhead) {
  double total = overhead;
  for (const Sample& s : samples) {
    if (s.model != model) continue;
    const auto it = table.find(s.kernel);
    if (it == table.end()) continue;  // a kernel no other model uses
    for (int j = 0; j < mcunet::kCostFeatures; ++j) total += it->second[j] * s.features[j];
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The cost model's predicted instructions per inference against QEMU's counts"};
  std::vector<std::string> models;
  std::string target = "cortex-m7", plugin = mcunet::DefaultPluginPath();
  bool json = false, print_table = false, per_kernel = false;
  app.add_option("models", models, "Model files (default: every models/*.tflite)");
  app.add_option("--target", target, "cortex-m7, cortex-m4 or cortex-m0plus");
  app.add_option("--plugin", plugin, "Path of mcunet_insn_count.so");
  app.add_flag("--print-table", print_table, "Print the table fitted on every model as C++");
  app.add_flag("--json", json, "Print JSON");
  app.add_flag("--per-kernel", per_kernel,
               "Print each model's instructions per kernel: measured, and the fit on all models");
  CLI11_PARSE(app, argc, argv);
  models = ModelFiles(models);

  std::vector<Sample> samples;
  std::vector<std::string> names;
  std::vector<double> measured, committed, overheads;
  for (const auto& path : models) {
    auto project = WriteFirmwareProject(path, "mcunet_bench_cost_model");
    if (!project) continue;
    const mcunet::CompiledModel* model = &project->model;
    const std::string dir = project->dir;
    const std::vector<uint8_t>& input = project->input;
    auto plain = mcunet::RunOnQemu(dir, "model", target, input, plugin);
    auto layered = mcunet::RunOnQemu(dir, "model", target, input, plugin, 300, true);
    std::filesystem::remove_all(dir);
    if (!plain.ok() || !layered.ok()) {
      fmt::print(stderr, "{}: {}\n", path,
                 (plain.ok() ? layered.status() : plain.status()).message());
      continue;
    }
    const mcunet::ModelStats stats = mcunet::ComputeModelStats(*model);
    const int index = static_cast<int>(names.size());
    double layer_sum = 0;
    for (size_t l = 0; l < stats.layers.size(); ++l) {
      const auto& layer = stats.layers[l];
      const double n = static_cast<double>(layered->layer_instructions[l]);
      layer_sum += n;
      if (!layer.kernel.empty()) {
        samples.push_back({index, layer.kernel, mcunet::CostFeatures(layer), n});
      }
    }
    names.push_back(std::filesystem::path(path).stem().string());
    measured.push_back(static_cast<double>(plain->instructions));
    overheads.push_back(std::max(0.0, static_cast<double>(plain->instructions) - layer_sum));
    committed.push_back(
        static_cast<double>(mcunet::EstimateInstructions(stats, target).instructions));
  }
  std::vector<double> sorted = overheads;
  std::sort(sorted.begin(), sorted.end());
  const double overhead = sorted.empty() ? 0 : sorted[sorted.size() / 2];

  const Table all = Fit(samples, -1);
  nlohmann::json rows = nlohmann::json::array();
  if (!json) {
    fmt::print("{:<34} {:>13} {:>13} {:>7} {:>13} {:>7} {:>13} {:>7}\n", "model (" + target + ")",
               "measured", "committed", "error", "fit all", "error", "leave 1 out", "error");
  }
  double worst_committed = 0, worst_out = 0;
  for (size_t m = 0; m < names.size(); ++m) {
    const double fit_all = Predict(all, samples, static_cast<int>(m), overhead);
    const double fit_out =
        Predict(Fit(samples, static_cast<int>(m)), samples, static_cast<int>(m), overhead);
    const auto err = [&](double p) { return 100.0 * (p - measured[m]) / measured[m]; };
    worst_committed = std::max(worst_committed, std::abs(err(committed[m])));
    worst_out = std::max(worst_out, std::abs(err(fit_out)));
    rows.push_back({{"model", names[m]},
                    {"measured", measured[m]},
                    {"committed_table", committed[m]},
                    {"fit_on_all", fit_all},
                    {"fit_leaving_it_out", fit_out}});
    if (!json) {
      fmt::print(
          "{:<34} {:>13.0f} {:>13.0f} {:>+6.1f}% {:>13.0f} {:>+6.1f}% {:>13.0f} {:>+6.1f}%\n",
          names[m].substr(0, 34), measured[m], committed[m], err(committed[m]), fit_all,
          err(fit_all), fit_out, err(fit_out));
    }
  }
  if (per_kernel && !json) {
    for (size_t m = 0; m < names.size(); ++m) {
      std::map<std::string, std::pair<double, double>> sums;  // kernel: measured, fit
      for (const Sample& s : samples) {
        if (s.model != static_cast<int>(m)) continue;
        auto& [got, fit] = sums[s.kernel];
        got += s.instructions;
        const auto it = all.find(s.kernel);
        for (int j = 0; j < mcunet::kCostFeatures && it != all.end(); ++j) {
          fit += it->second[j] * s.features[j];
        }
      }
      fmt::print("\n{}\n", names[m]);
      for (const auto& [kernel, v] : sums) {
        fmt::print("  {:<42} {:>13.0f} {:>13.0f} {:>+6.1f}%\n", kernel, v.first, v.second,
                   100.0 * (v.second - v.first) / std::max(1.0, v.first));
      }
    }
  }
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"target", target},
                                      {"models", rows},
                                      {"worst_error_committed_percent", worst_committed},
                                      {"worst_error_leave_one_out_percent", worst_out}}
                           .dump(2));
  } else {
    fmt::print("worst error: committed table {:.1f} %, leave-one-out fit {:.1f} %\n",
               worst_committed, worst_out);
  }
  if (print_table) {
    fmt::print("\n    {{\"invoke\", {{{:.0f}, 0, 0, 0, 0, 0, 0, 0}}}},\n", overhead);
    for (const auto& [kernel, x] : all) {
      std::string coefficients;
      for (double v : x) {  // round-off of the descent printed as 0
        coefficients += fmt::format("{}{:.4g}", coefficients.empty() ? "" : ", ", v < 1e-6 ? 0 : v);
      }
      fmt::print("    {{\"{}\", {{{}}}}},\n", kernel, coefficients);
    }
  }
  return 0;
}
