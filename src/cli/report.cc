// mcunet report MODEL.tflite | SEARCH_DIR -o report.html [--device NAME]
#include <fmt/core.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/device_verdict.h"
#include "cli/html_page.h"
#include "cli/memory_plot.h"
#include "compiler/compile_file.h"
#include "compiler/model_stats.h"
#include "core/atomic_file.h"
#include "core/devices.h"
#include "core/read_file.h"

namespace mcunet::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Kb(int64_t bytes) { return fmt::format("{:.1f} kB", bytes / 1024.0); }
std::string Bytes(int64_t bytes) { return WithThousands(bytes) + " B (" + Kb(bytes) + ")"; }
std::string Percent(double fraction) { return fmt::format("{:.2f} %", 100 * fraction); }

// The figures, memory profile, arena layout and layer table of one model.
std::string ModelSections(const std::string& path, const CompiledModel& model,
                          const ModelStats& stats, const DeviceProfile* device) {
  const LayerStats* peak = stats.layers.empty() ? nullptr : &stats.layers[stats.peak_layer];
  std::vector<std::pair<std::string, std::string>> facts = {
      {"model", path},
      {"operators", WithThousands(static_cast<int64_t>(stats.layers.size()))},
      {"MACs", WithThousands(stats.macs)},
      {"parameters: elements of quantised weights and biases", WithThousands(stats.params)},
      {"weights", Bytes(stats.weights_bytes)},
      {"Flash", fmt::format("{}: {} of weights and requantisation tables + {} code estimate",
                            Bytes(stats.flash_bytes + kCodeBytesEstimate),
                            WithThousands(stats.flash_bytes), WithThousands(kCodeBytesEstimate))},
      {"peak SRAM: the arena (activations and scratch)", Bytes(stats.peak_sram_bytes)},
      {"TFLM-style baseline arena (greedy by size, no in-place)",
       fmt::format("{} ({:.2f}x ours)", Bytes(stats.baseline_sram_bytes),
                   stats.peak_sram_bytes
                       ? static_cast<double>(stats.baseline_sram_bytes) / stats.peak_sram_bytes
                       : 0.0)},
      {"lower bound of any plan", Bytes(stats.lower_bound_bytes)},
  };
  if (peak) {
    facts.push_back(
        {"busiest layer", fmt::format("layer {} (operator {}, {}): {} live", stats.peak_layer,
                                      peak->index, peak->op, Bytes(peak->live_bytes))});
  }
  std::string html = HtmlSection("Model", HtmlFacts(facts));
  if (device) {
    const DeviceVerdictInput in = EstimatedVerdictInput(stats, *device);
    const json v = DeviceVerdictJson(*device, model, in);
    std::vector<std::pair<std::string, std::string>> d = {
        {"device", fmt::format("{} ({}, {} MHz)", device->name, device->core, device->mhz)},
        {"verdict", v["fits"].get<bool>() ? "fits" : "DOES NOT FIT"},
        {"SRAM", fmt::format("{} of {} ({}; {})", Bytes(in.sram_bytes), Bytes(device->sram_bytes),
                             Percent(static_cast<double>(in.sram_bytes) / device->sram_bytes),
                             in.sram_what)},
        {"Flash",
         fmt::format("{} of {} ({}; {})", Bytes(in.flash_bytes), Bytes(device->flash_bytes),
                     Percent(static_cast<double>(in.flash_bytes) / device->flash_bytes),
                     in.flash_what)},
    };
    if (v.contains("latency_ms")) {
      d.push_back({"latency", fmt::format("{:.1f} ms at {} MHz ({} instructions, {})",
                                          v["latency_ms"].get<double>(), device->mhz,
                                          WithThousands(v["instructions"].get<int64_t>()),
                                          in.instructions_what)});
    }
    html += HtmlSection("Device", HtmlFacts(d));
  }
  html += HtmlSection("Memory profile",
                      "<p>Bytes live at each layer: our plan against the TFLM-style baseline; "
                      "dashed lines are the two arenas.</p>\n" +
                          MemoryProfileSvg(path, stats));
  html += HtmlSection(
      "Schedule: the arena over time",
      "<p>Each buffer from its first to its last step, at its offset in our arena (hover for "
      "its size); an output placed in-place over its input overlaps it.</p>\n" +
          ArenaLayoutSvg(path + ": our plan", model.memory, model.memory.plan));
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < stats.layers.size(); ++i) {
    const LayerStats& l = stats.layers[i];
    std::string inputs;
    for (const std::string& s : l.input_shapes) inputs += (inputs.empty() ? "" : " ") + s;
    rows.push_back({std::to_string(i), std::to_string(l.index), l.op,
                    l.kernel.empty() ? "-" : l.kernel, inputs, l.output_shape,
                    WithThousands(l.macs), WithThousands(l.weight_bytes),
                    WithThousands(l.scratch_bytes), WithThousands(l.live_bytes),
                    WithThousands(l.baseline_live_bytes)});
  }
  std::vector<size_t> mark;
  if (peak) mark.push_back(static_cast<size_t>(stats.peak_layer));
  html += HtmlSection("Layers (execution order; the busiest marked)",
                      HtmlTable({"step", "operator", "op", "kernel", "inputs", "output", "MACs",
                                 "weights B", "scratch B", "live B (ours)", "live B (TFLM-style)"},
                                rows, mark));
  return html;
}

std::string Accuracy(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? Percent(j[key].get<double>()) : "-";
}
std::string Count(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number_integer() ? WithThousands(j[key].get<int64_t>()) : "-";
}

// A search folder's own figures, all read from its summary.json and stage1.json.
std::string SearchSections(const fs::path& dir, const json& s) {
  std::vector<std::pair<std::string, std::string>> run = {
      {"folder", dir.string()},
      {"data set", s.value("dataset", "-")},
      {"SRAM budget", Bytes(s.value("sram_budget_bytes", int64_t{0}))},
      {"Flash budget", Bytes(s.value("flash_budget_bytes", int64_t{0}))},
      {"compute budget", s.value("budget", "-")},
      {"seed", Count(s, "seed")},
      {"complete", s.value("complete", false) ? "yes" : "no (resume with the same command)"},
  };
  if (s.contains("device") && s["device"].is_object()) {
    const json& d = s["device"];
    run.insert(run.begin() + 1, {"device", fmt::format("{} ({}, {} MHz)", d.value("name", "-"),
                                                       d.value("core", "-"), d.value("mhz", 0))});
  }
  if (s.contains("space") && s["space"].is_object()) {
    run.push_back(
        {"search space", fmt::format("width {}, resolution {}", s["space"].value("w", 0.0),
                                     s["space"].value("r", 0))});
  }
  std::string html = HtmlSection("Search", HtmlFacts(run));

  std::vector<std::vector<std::string>> rows;
  const auto add = [&](const std::string& name, const json& r) {
    const json int8 = r.contains("int8") ? r["int8"] : json::object();
    rows.push_back({name, Accuracy(r, "test_accuracy"), Accuracy(int8, "int8_test_accuracy"),
                    Count(r, "peak_sram_bytes"), Count(r, "flash_bytes"), Count(r, "macs"),
                    Count(r, r.contains("training_params") ? "training_params" : "params")});
  };
  if (s.contains("searched")) add("searched (TinyNAS)", s["searched"]);
  if (s.contains("baselines")) {
    if (s["baselines"].contains("mobilenetv2"))
      add("MobileNetV2, scaled", s["baselines"]["mobilenetv2"]);
    if (s["baselines"].contains("random_search"))
      add("random search", s["baselines"]["random_search"]);
  }
  html += HtmlSection(
      "Networks", HtmlTable({"network", "float test accuracy", "int8 test accuracy", "peak SRAM B",
                             "Flash B (+ code estimate)", "MACs", "training parameters"},
                            rows, {0}));

  if (s.contains("firmware") && s["firmware"].is_object()) {
    const json& f = s["firmware"];
    std::vector<std::pair<std::string, std::string>> fw = {
        {"folder", f.value("dir", "-")},
        {"core", f.value("core", "-") + (f.value("emulated", false) ? " (under QEMU)" : "")},
        {"outputs against the host runtime",
         f.value("bit_exact", false) ? "byte-identical" : "DIFFERENT"},
        {"test images run", Count(f, "images")},
        {"instructions per inference", Count(f, "instructions")},
        {"SRAM of the ELF", Count(f, "sram_bytes")},
        {"arena", Count(f, "arena_bytes")},
        {"stack", Count(f, "stack_bytes")},
        {"Flash of the ELF", Count(f, "flash_bytes")},
        {"code", Count(f, "code_bytes")},
    };
    if (f.contains("latency_ms_at_1_ipc")) {
      fw.push_back({"latency at the device's clock, 1 instruction per cycle",
                    fmt::format("{:.1f} ms", f["latency_ms_at_1_ipc"].get<double>())});
    }
    html += HtmlSection("Firmware", HtmlFacts(fw));
  }

  std::ifstream stage1_file(dir / "stage1.json");
  if (stage1_file) {
    const json stage1 = json::parse(stage1_file, nullptr, /*allow_exceptions=*/false);
    if (stage1.is_object() && stage1.contains("spaces")) {
      std::vector<std::vector<std::string>> spaces;
      std::vector<size_t> best;
      for (const json& sp : stage1["spaces"]) {
        if (spaces.size() == 10) break;
        if (sp.value("fit_fraction", 0.0) > 0) {
          if (stage1.contains("best") && sp.value("w", 0.0) == stage1["best"].value("w", -1.0) &&
              sp.value("r", 0) == stage1["best"].value("r", -1)) {
            best.push_back(spaces.size());
          }
          spaces.push_back({fmt::format("{}", sp.value("w", 0.0)), Count(sp, "r"),
                            Percent(sp.value("fit_fraction", 0.0)),
                            WithThousands(static_cast<int64_t>(sp.value("mean_macs", 0.0)))});
        }
      }
      html +=
          HtmlSection("Stage 1: search spaces (the 10 best that fit; the chosen marked)",
                      HtmlTable({"width", "resolution", "networks that fit", "mean MACs of those"},
                                spaces, best));
    }
  }
  if (auto pareto = ReadFileBytes((dir / "pareto.svg").string()); pareto.ok()) {
    html += HtmlSection("Evolution: held-out accuracy against peak SRAM and Flash",
                        std::string(pareto->begin(), pareto->end()));
  }
  return html;
}

int Fail(const std::string& message) {
  fmt::print(stderr, "error: {}\n", message);
  return 1;
}

}  // namespace

Command AddReportCommand(CLI::App& app) {
  auto input = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  auto device = std::make_shared<std::string>();
  auto devices_file = std::make_shared<std::string>();
  app.add_option("input", *input, "A model (.tflite, int8) or a search's output folder")
      ->required();
  app.add_option("-o,--output", *output, "The HTML file to write")->required();
  app.add_option("--device", *device,
                 "Judge the model against this device (`mcunet devices` lists them); a search "
                 "folder's own device is the default");
  app.add_option("--devices", *devices_file, "Device profiles file (default: the built-in ones)");
  app.footer(
      "One self-contained HTML page (no network access needed to view it). For a model: its\n"
      "figures, the device verdict, the memory profile against the TFLM-style baseline, the\n"
      "arena over time and the layer table. For a search folder: the run, the networks'\n"
      "accuracy and cost, the firmware's figures under QEMU, stage 1's spaces, the Pareto\n"
      "front, then the searched model.tflite as above.\n"
      "Example: mcunet report models/tflm_person_detect.tflite --device stm32f746 -o person.html");
  return [input, output, device, devices_file]() {
    std::error_code ec;
    const fs::path in(*input);
    const bool search_dir = fs::is_directory(in, ec);
    json summary;
    fs::path model_path = in;
    if (search_dir) {
      auto text = ReadFileBytes((in / "summary.json").string());
      if (!text.ok()) {
        return Fail(fmt::format("{}: not a search folder (no readable summary.json): {}", *input,
                                text.status().message()));
      }
      summary = json::parse(text->begin(), text->end(), nullptr, /*allow_exceptions=*/false);
      if (!summary.is_object()) return Fail(*input + "/summary.json: not valid JSON");
      model_path = in / "model.tflite";
    }
    std::string device_name = *device;
    if (device_name.empty() && summary.contains("device") && summary["device"].is_object()) {
      device_name = summary["device"].value("name", "");
    }
    auto found = FindOptionalDevice(device_name, *devices_file);
    if (!found.ok()) return Fail(found.status().message());
    const std::optional<DeviceProfile>& profile = *found;
    std::string body;
    std::string title = "mcunet report: " + *input;
    if (search_dir) body += SearchSections(in, summary);
    if (!search_dir || fs::exists(model_path, ec)) {
      auto compiled = CompileTfliteFile(model_path.string());
      if (!compiled.ok()) return Fail(compiled.status().message());
      const ModelStats stats = ComputeModelStats(*compiled);
      body += ModelSections(model_path.string(), *compiled, stats, profile ? &*profile : nullptr);
    }
    const std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
    body +=
        fmt::format("<p><small>Written by mcunet {} on {}.</small></p>\n", MCUNET_VERSION, date);
    const Status s = WriteFileAtomically(*output, HtmlPage(title, body));
    if (!s.ok()) return Fail(s.message());
    fmt::print("{}: report of {}\n", *output, *input);
    return 0;
  };
}

}  // namespace mcunet::cli
