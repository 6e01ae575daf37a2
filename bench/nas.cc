// TinyNAS stage 2 figures: for each SRAM / Flash budget, the test accuracy of
// the searched network, of the largest scaled MobileNetV2 that fits, and of
// random search in the same space with as many evaluations, each in float and
// int8 (exported, run by our engine); peak SRAM and Flash of each from our planner. Runs `mcunet search` phases in-process, one output
// folder per budget (a killed bench resumes). A benchmark: prints, asserts nothing.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/progress_bar.h"
#include "nas/stage2.h"

int main(int argc, char** argv) {
  CLI::App app{"TinyNAS stage 2 on Fashion-MNIST at three SRAM/Flash budgets"};
  std::string budget = "quick", out = "bench-nas", dataset = "fashion-mnist", selection;
  uint32_t seed = 1;
  int threads = 2;
  std::vector<int> only_kb;
  bool json = false, no_augment = false;
  app.add_option("--budget", budget, "smoke | quick | full")->default_str("quick");
  app.add_flag("--no-augment", no_augment, "Train without random crops and flips");
  app.add_option("--out", out, "Folder holding one search folder per budget")
      ->default_str("bench-nas");
  app.add_option("--dataset", dataset)->default_str("fashion-mnist");
  app.add_option("--seed", seed)->default_str("1");
  app.add_option("--threads", threads)->default_str("2");
  app.add_option("--only", only_kb, "Run only these SRAM budgets (kB), e.g. --only 128");
  app.add_option("--selection", selection, "Evolution parents: fitness | macs-among-ties")
      ->check(CLI::IsMember({"fitness", "macs-among-ties"}));
  app.add_flag("--json", json, "Print the rows as JSON");
  CLI11_PARSE(app, argc, argv);
  auto preset = mcunet::BudgetByName(budget);
  if (!preset.ok()) {
    fmt::print(stderr, "error: {}\n", preset.status().message());
    return 1;
  }
  const std::vector<std::pair<int, int>> budgets = {{32, 128}, {64, 256}, {128, 512}};
  nlohmann::json rows = nlohmann::json::array();
  mcunet::ProgressBar bar;
  for (const auto& budget_kb : budgets) {
    const int sram_kb = budget_kb.first, flash_kb = budget_kb.second;  // lambdas capture these
    if (!only_kb.empty() && std::find(only_kb.begin(), only_kb.end(), sram_kb) == only_kb.end()) {
      continue;
    }
    mcunet::SearchRequest req;
    req.dataset = dataset;
    req.constraints = {int64_t{sram_kb} * 1024, int64_t{flash_kb} * 1024};
    req.budget = *preset;
    if (!selection.empty()) req.budget.parents_among_ties = selection == "macs-among-ties";
    if (no_augment) req.budget.augment = false;
    req.out_dir = fmt::format("{}/{}-sram{}k-flash{}k", out, budget, sram_kb, flash_kb);
    req.seed = seed;
    req.threads = threads;
    req.log = [&](const std::string& line) {
      bar.Finish();
      fmt::print(stderr, "[{} kB / {} kB] {}\n", sram_kb, flash_kb, line);
    };
    req.progress = [&](const std::string& phase, int64_t done, int64_t total,
                       const std::string& info) { bar.Update(phase, done, total, info); };
    const auto t0 = std::chrono::steady_clock::now();
    auto summary = mcunet::RunStage2(req, mcunet::Stage2Scope::kSearch);
    bar.Finish();
    if (!summary.ok()) {
      fmt::print(stderr, "error: {}\n", summary.status().message());
      return 1;
    }
    nlohmann::json s = nlohmann::json::parse(*summary);
    s["sram_kb"] = sram_kb;
    s["flash_kb"] = flash_kb;
    s["wall_seconds_this_run"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rows.push_back(s);
  }
  if (json) {
    fmt::print("{}\n", rows.dump(2));
    return 0;
  }
  fmt::print("TinyNAS stage 2, {} ({} budget, seed {}); test accuracy in float and int8 (our "
             "engine), memory from our planner\n",
             dataset, budget, seed);
  fmt::print("{:<12} {:<16} {:>8} {:>8} {:>5} {:>9} {:>9} {:>8}  {}\n", "budget", "network",
             "float %", "int8 %", "quant", "SRAM kB", "Flash kB", "MMACs", "arch");
  for (const auto& s : rows) {
    const std::string label = fmt::format("{}k/{}k", s["sram_kb"].get<int>(),
                                          s["flash_kb"].get<int>());
    const auto row = [&](const char* name, const nlohmann::json& r) {
      const nlohmann::json q = r.value("int8", nlohmann::json::object());
      fmt::print("{:<12} {:<16} {:>8.2f} {:>8.2f} {:>5} {:>9.1f} {:>9.1f} {:>8.2f}  {}\n", label,
                 name, 100 * r.value("test_accuracy", 0.0),
                 100 * q.value("int8_test_accuracy", 0.0), q.value("quantisation", std::string("-")),
                 r.value("peak_sram_bytes", 0) / 1024.0, r.value("flash_bytes", 0) / 1024.0,
                 r.value("macs", 0) / 1e6, r.value("arch", std::string()));
    };
    row("searched", s["searched"]);
    row("MobileNetV2", s["baselines"]["mobilenetv2"]);
    row("random search", s["baselines"]["random_search"]);
    const auto int8 = [](const nlohmann::json& r) {
      return r["int8"]["int8_test_accuracy"].get<double>();
    };
    const double ours = int8(s["searched"]);
    fmt::print("{:<12} int8: searched - MobileNetV2 {:+.2f} points, - random {:+.2f} points, "
               "space w{}-r{}, {:.0f} s\n",
               label, 100 * (ours - int8(s["baselines"]["mobilenetv2"])),
               100 * (ours - int8(s["baselines"]["random_search"])),
               s["space"]["w"].get<double>(), s["space"]["r"].get<int>(),
               s["wall_seconds_this_run"].get<double>());
  }
  return 0;
}
