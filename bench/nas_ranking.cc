// How well a trained supernet ranks subnets: takes K networks spread over the
// fitness range of a search folder's search_log.json (held-out accuracy with
// shared weights), trains each alone from scratch with the final recipe (as
// `mcunet train --arch` does, one resumable folder each) and prints both
// accuracies and Kendall's tau between them. A benchmark: prints, asserts nothing.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/progress_bar.h"
#include "nas/stage2.h"

namespace {

// Kendall's tau-b: concordant minus discordant pairs, corrected for ties.
double KendallTau(const std::vector<double>& a, const std::vector<double>& b) {
  double concordant = 0, discordant = 0, ties_a = 0, ties_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = i + 1; j < a.size(); ++j) {
      const double da = a[i] - a[j], db = b[i] - b[j];
      if (da == 0 && db == 0) continue;
      if (da == 0) {
        ++ties_a;
      } else if (db == 0) {
        ++ties_b;
      } else if ((da > 0) == (db > 0)) {
        ++concordant;
      } else {
        ++discordant;
      }
    }
  }
  const double n = concordant + discordant;
  const double denominator = std::sqrt((n + ties_a) * (n + ties_b));
  return denominator > 0 ? (concordant - discordant) / denominator : 0;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Supernet ranking against networks trained alone (Kendall's tau)"};
  std::string search_dir, out, dataset = "fashion-mnist", budget = "quick";
  int count = 8, threads = 2;
  int64_t steps = 0;
  bool json = false;
  app.add_option("search_dir", search_dir, "A search folder (search_log.json, stage1.json)")
      ->required();
  app.add_option("--count", count, "Networks to train, spread over the fitness range")
      ->default_str("8");
  app.add_option("--out", out, "Folder for the trainings (default SEARCH_DIR/ranking)");
  app.add_option("--budget", budget, "Final recipe of this budget")->default_str("quick");
  app.add_option("--final-steps", steps, "Steps per network (the budget's by default)");
  app.add_option("--dataset", dataset)->default_str("fashion-mnist");
  app.add_option("--threads", threads)->default_str("2");
  app.add_flag("--json", json, "Print the rows as JSON");
  CLI11_PARSE(app, argc, argv);
  if (out.empty()) out = search_dir + "/ranking";
  const auto fail = [](const std::string& m) {
    fmt::print(stderr, "error: {}\n", m);
    return 1;
  };
  auto preset = mcunet::BudgetByName(budget);
  if (!preset.ok()) return fail(preset.status().message());
  if (steps > 0) preset->final_steps = steps;
  auto state = mcunet::SearchStateFromJson(ReadText(search_dir + "/search_log.json"));
  if (!state.ok()) return fail(search_dir + "/search_log.json: " + state.status().message());
  mcunet::SearchSpace space;
  try {
    const auto stage1 = nlohmann::json::parse(ReadText(search_dir + "/stage1.json"));
    space.width = stage1.at("best").at("w").get<double>();
    space.resolution = stage1.at("best").at("r").get<int>();
  } catch (const nlohmann::json::exception& e) {  // missing file, bad JSON or a missing key
    return fail(search_dir + "/stage1.json: " + e.what());
  }
  space.input_channels = 1;  // adapted to the data by the training anyway
  space.num_classes = 10;
  std::vector<mcunet::Candidate> ranked = state->evaluated;
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& x, const auto& y) { return x.fitness > y.fitness; });
  if (count < 2 || static_cast<size_t>(count) > ranked.size()) {
    return fail(fmt::format("--count must be 2 .. {} (networks in the log)", ranked.size()));
  }

  mcunet::ProgressBar bar;
  nlohmann::json rows = nlohmann::json::array();
  std::vector<double> fitness, alone;
  for (int i = 0; i < count; ++i) {
    const mcunet::Candidate& c = ranked[i * (ranked.size() - 1) / (count - 1)];
    mcunet::SearchRequest req;
    req.dataset = dataset;
    req.budget = *preset;
    req.threads = threads;
    req.out_dir = fmt::format("{}/{}", out, mcunet::GenomeKey(c.genome));
    std::replace(req.out_dir.begin() + out.size(), req.out_dir.end(), ' ', '_');
    req.arch = mcunet::GenomeToArch(c.genome, space);
    req.log = [&](const std::string&) {};
    req.progress = [&](const std::string&, int64_t done, int64_t total, const std::string& info) {
      bar.Update(fmt::format("network {}/{}", i + 1, count), done, total, info);
    };
    auto result = mcunet::RunStage2(req, mcunet::Stage2Scope::kTrainArch);
    bar.Finish();
    if (!result.ok()) return fail(result.status().message());
    const nlohmann::json r = nlohmann::json::parse(*result);
    fitness.push_back(c.fitness);
    alone.push_back(r["val_accuracy"].get<double>());
    rows.push_back({{"arch", mcunet::GenomeKey(c.genome)},
                    {"supernet_val_accuracy", c.fitness},
                    {"alone_val_accuracy", r["val_accuracy"]},
                    {"alone_test_accuracy", r["test_accuracy"]},
                    {"macs", c.cost.macs},
                    {"training_params", c.cost.params}});
  }
  const double tau = KendallTau(fitness, alone);
  if (json) {
    fmt::print("{}\n", nlohmann::json{{"kendall_tau", tau}, {"networks", rows}}.dump(2));
    return 0;
  }
  fmt::print("{:>10} {:>10} {:>10} {:>8}  {}\n", "supernet %", "alone %", "test %", "MMACs",
             "arch");
  for (const auto& r : rows) {
    fmt::print("{:>10.2f} {:>10.2f} {:>10.2f} {:>8.2f}  {}\n",
               100 * r["supernet_val_accuracy"].get<double>(),
               100 * r["alone_val_accuracy"].get<double>(),
               100 * r["alone_test_accuracy"].get<double>(), r["macs"].get<int64_t>() / 1e6,
               r["arch"].get<std::string>());
  }
  fmt::print("Kendall's tau (supernet held-out vs trained alone, held-out): {:+.2f} over {} "
             "networks, {} steps each\n",
             tau, count, preset->final_steps);
  return 0;
}
