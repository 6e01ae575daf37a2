// mcunet search | train | evolve: TinyNAS stage 2 (nas/stage2.h).
#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/device_budget.h"
#include "cli/nas_commands.h"
#include "codegen/target_run.h"
#include "core/progress_bar.h"
#include "nas/stage2.h"

namespace mcunet::cli {
namespace {

// "smoke 120, quick 1200, full 5000": a preset field's defaults for --help,
// read from the presets so the text cannot drift from them.
std::string PresetDefaults(int64_t BudgetPreset::*field) {
  std::string text;
  for (const char* name : {"smoke", "demo", "quick", "full"}) {
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", name, (*BudgetByName(name)).*field);
  }
  return text;
}

void PrintTable(const nlohmann::json& s) {
  fmt::print("{:<16} {:>8} {:>8} {:>10} {:>9} {:>9} {:>7}  {}\n", "network", "float %", "int8 %",
             "held-out %", "SRAM kB", "Flash kB", "MMACs", "arch");
  const auto row = [](const std::string& name, const nlohmann::json& r) {
    if (r.is_null()) return;
    const nlohmann::json int8 = r.value("int8", nlohmann::json::object());
    const std::string int8_text =
        int8.contains("int8_test_accuracy")
            ? fmt::format("{:.2f}", 100 * int8["int8_test_accuracy"].get<double>())
            : "-";
    fmt::print("{:<16} {:>8.2f} {:>8} {:>10.2f} {:>9.1f} {:>9.1f} {:>7.2f}  {}\n", name,
               100 * r.value("test_accuracy", 0.0), int8_text, 100 * r.value("val_accuracy", 0.0),
               r.value("peak_sram_bytes", 0) / 1024.0, r.value("flash_bytes", 0) / 1024.0,
               r.value("macs", 0) / 1e6, r.value("arch", std::string()));
  };
  if (s.contains("weights_file") && !s.contains("searched")) {  // train --arch
    row("trained", s);
    return;
  }
  row("searched", s.value("searched", nlohmann::json()));
  if (s.contains("baselines")) {
    row("MobileNetV2", s["baselines"].value("mobilenetv2", nlohmann::json()));
    row("random search", s["baselines"].value("random_search", nlohmann::json()));
  }
}

// The main job's answer for the searched network: what runs on the device.
void PrintDeviceSummary(const nlohmann::json& s) {
  if (!s.contains("int8_test_accuracy")) return;
  const nlohmann::json& q = s["searched"]["int8"];
  fmt::print("\nsearched network, int8");
  if (s.contains("device")) {
    const nlohmann::json& d = s["device"];
    fmt::print(" on {} ({}, {} MHz, {} kB SRAM, {} kB Flash)", d["name"].get<std::string>(),
               d["core"].get<std::string>(), d["mhz"].get<int>(),
               d["sram_bytes"].get<int64_t>() / 1024, d["flash_bytes"].get<int64_t>() / 1024);
  }
  fmt::print(":\n");
  const auto line = [](const std::string& what, const std::string& value) {
    fmt::print("  {:<30} {}\n", what, value);
  };
  line("test accuracy float / int8",
       fmt::format("{:.2f} % / {:.2f} %", 100 * s["float_test_accuracy"].get<double>(),
                   100 * s["int8_test_accuracy"].get<double>()));
  line("peak SRAM (arena)",
       fmt::format("{:.1f} kB of {:.1f} kB budget", q["peak_sram_bytes"].get<int64_t>() / 1024.0,
                   s["sram_budget_bytes"].get<int64_t>() / 1024.0));
  if (s.contains("firmware")) {
    const nlohmann::json& f = s["firmware"];
    line("Flash, built firmware",
         fmt::format("{:.1f} kB of {:.1f} kB budget (search's estimate "
                     "{:.1f} kB)",
                     f["flash_bytes"].get<int64_t>() / 1024.0,
                     s["flash_budget_bytes"].get<int64_t>() / 1024.0,
                     q["search_flash_estimate_bytes"].get<int64_t>() / 1024.0));
    line("SRAM, built firmware", fmt::format("{:.1f} kB (arena, I/O buffers, statics, stack)",
                                             f["sram_bytes"].get<int64_t>() / 1024.0));
    line("instructions per inference",
         fmt::format("{:.2f} M: {:.1f} ms at {} MHz (1 instruction per cycle)",
                     f["instructions"].get<int64_t>() / 1e6, f["latency_ms_at_1_ipc"].get<double>(),
                     s["device"]["mhz"].get<int>()));
    line(fmt::format("QEMU {} vs host runtime", f["core"].get<std::string>()),
         fmt::format("{} on {} test images", f["bit_exact"].get<bool>() ? "bit-exact" : "DIFFERENT",
                     f["images"].get<int64_t>()));
  }
  line("model", s["model"].get<std::string>());
  if (s.contains("firmware")) {
    line("firmware (C project)", s["firmware"]["dir"].get<std::string>());
  }
}

}  // namespace

Command AddStage2Command(CLI::App& app, Stage2Scope scope, std::string command_line) {
  struct Args {
    DeviceOptions device;
    std::string dataset = "fashion-mnist", budget = "quick", out = "mcunet-search";
    uint32_t seed = 1;
    int threads = 2, population = 0, generations = 0;
    double parents = 0, mutation = -1, crossover = -1, width = 0;
    int resolution = 0;
    int64_t final_steps = 0, supernet_steps = 0;
    std::string arch, final_init, selection;
    bool json = false, no_baselines = false, no_export = false, no_augment = false, restart = false;
    int64_t calibration_images = 512, firmware_images = 5, qat_steps = 300;
  };
  auto a = std::make_shared<Args>();
  app.add_option("--dataset", a->dataset,
                 "fashion-mnist (Debian package dataset-fashion-mnist), a folder of IDX files "
                 "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...) or a "
                 "folder of images: DIR/train/<class>/*, DIR/test/<class>/* (PNG, JPEG, BMP, "
                 "GIF; any size, grey or colour; unreadable files skipped and counted)")
      ->default_str("fashion-mnist");
  AddDeviceOptions(app, a->device);
  app.add_option(
         "--budget", a->budget,
         "Compute: smoke (tests, 2 min), demo (make demo, minutes), quick (< 45 min), full (< 3 h)")
      ->default_str("quick");
  app.add_option("--out", a->out, "Output folder; running again resumes from it")
      ->default_str("mcunet-search");
  app.add_flag("--restart", a->restart,
               "Delete the output folder's earlier run and start afresh (default: resume it)");
  app.add_option("--seed", a->seed, "Random seed")->default_str("1");
  app.add_option("--threads", a->threads, "CPU threads for libtorch")->default_str("2");
  app.add_option("--width", a->width, "Skip stage 1: the space's width multiplier");
  app.add_option("--resolution", a->resolution, "Skip stage 1: the space's input resolution");
  app.add_option("--final-steps", a->final_steps,
                 "Steps of final training (the budget's by default: " +
                     PresetDefaults(&BudgetPreset::final_steps) + ")");
  if (scope == Stage2Scope::kSearch || scope == Stage2Scope::kTrainSupernet) {
    app.add_option("--supernet-steps", a->supernet_steps,
                   "Steps of supernet training (the budget's by default: " +
                       PresetDefaults(&BudgetPreset::supernet_steps) +
                       "); each trains the largest, the smallest and random subnets");
  }
  app.add_flag("--no-augment", a->no_augment,
               "Train without random crops and flips (short runs underfit rather than overfit)");
  if (scope != Stage2Scope::kTrainSupernet) {
    app.add_option("--final-init", a->final_init,
                   "Starts of the final training: 'supernet' (fine-tune the supernet's weights) "
                   "or 'both' (also from scratch, keep the better on held-out images); budget's "
                   "default: smoke both, quick and full supernet")
        ->check(CLI::IsMember({"supernet", "both"}));
  }
  if (scope == Stage2Scope::kTrainSupernet) {
    app.add_option("--arch", a->arch,
                   "Train this network instead of the supernet: ProxylessNAS JSON such as "
                   "OUT/best_arch.json or archs/*.json, from scratch with the final recipe; "
                   "input channels and classes follow the data; --sram/--flash optional "
                   "(checked when given)")
        ->check(CLI::ExistingFile);
  }
  if (scope != Stage2Scope::kTrainSupernet) {
    app.add_option("--population", a->population, "Evolution: population (budget's default)");
    app.add_option("--generations", a->generations, "Evolution: generations (budget's default)");
    app.add_option("--parents", a->parents, "Evolution: parents fraction (0.25)");
    app.add_option("--mutation-prob", a->mutation, "Evolution: mutation probability (0.1)");
    app.add_option("--crossover", a->crossover, "Evolution: share of children by crossover (0.5)");
    app.add_option("--selection", a->selection,
                   "Evolution parents: 'fitness' (the fittest, Once-for-All) or 'macs-among-ties' "
                   "(the fittest, then the most MACs among networks within one standard error "
                   "of its held-out accuracy; the supernet cannot order those and underrates "
                   "deep ones); default fitness")
        ->check(CLI::IsMember({"fitness", "macs-among-ties"}));
  }
  if (scope == Stage2Scope::kSearch) {
    app.add_flag("--no-baselines", a->no_baselines,
                 "Skip the scaled-MobileNetV2 and random-search baselines");
  }
  if (scope != Stage2Scope::kTrainSupernet) {
    app.add_flag("--no-export", a->no_export,
                 "Stop at the float networks: no int8 .tflite, no firmware (`mcunet export` "
                 "does it later)");
    app.add_option("--calibration-images", a->calibration_images,
                   "Export: training images whose activation ranges set the int8 quantisation")
        ->default_str("512");
    app.add_option("--qat-steps", a->qat_steps,
                   "Export: quantisation-aware fine-tuning steps when post-training quantisation "
                   "loses more than 0.5 points on held-out images (0: never)")
        ->default_str("300");
    app.add_option("--firmware-images", a->firmware_images,
                   "Export: test images run on the device's emulated core, compared byte for "
                   "byte with the host runtime")
        ->default_str("5");
  }
  app.add_flag("--json", a->json, "Print summary.json on stdout");
  if (scope == Stage2Scope::kSearch) {
    app.footer(
        "Stage 1 picks the (width, resolution) space; a weight-sharing supernet is trained\n"
        "(sandwich rule, in-place distillation); evolution searches subnets whose peak SRAM and\n"
        "Flash, measured by our planner on the int8 graph, fit; the best is fine-tuned from the\n"
        "supernet's weights (--final-init both also trains it from scratch and keeps the better\n"
        "on held-out images), and its test accuracy reported beside a scaled MobileNetV2 and\n"
        "random search.\n"
        "Then each network is quantised to int8 (as `mcunet export`): OUT/model.tflite, its\n"
        "int8 test accuracy through our runtime and, with --device, OUT/firmware/ (the C\n"
        "project for the device's core) built and run under QEMU on test images.\n"
        "Writes OUT/best_arch.json (read by 'mcunet analyze --arch'), best_weights.pt,\n"
        "model.tflite, firmware/, pareto.json/.svg, search_log.json, summary.json (float and\n"
        "int8 accuracy, SRAM, Flash, instructions) and mcunet.log (the command and every\n"
        "progress line, time-stamped); `mcunet report OUT -o report.html` shows them.\n"
        "Example: mcunet search --device stm32f746 --budget quick --out f746");
  } else if (scope == Stage2Scope::kTrainSupernet) {
    app.footer(
        "The first part of `mcunet search`: stage 1 picks the (width, resolution) space and the\n"
        "weight-sharing supernet is trained into OUT/supernet.pt (checkpointed; run again, it\n"
        "resumes). `mcunet evolve` with the same --out continues from it.\n"
        "With --arch ARCH.json, trains that one network from scratch with the final recipe\n"
        "instead (OUT/trained.json, trained_weights.pt), after checking that it fits the\n"
        "budget given.\n"
        "Example: mcunet train --device stm32l432 --budget quick --out run");
  } else {
    app.footer(
        "The second part of `mcunet search`, on the supernet `mcunet train` left in --out:\n"
        "evolution over the subnets that fit, final training of the best, the int8 .tflite and,\n"
        "with --device, its firmware checked under QEMU (files as `mcunet search` writes).\n"
        "Example: mcunet evolve --device stm32l432 --budget quick --out run");
  }
  return [a, scope, command_line]() {
    const auto fail = [](const std::string& m) {
      fmt::print(stderr, "error: {}\n", m);
      return 1;
    };
    const bool given_arch = !a->arch.empty();
    const bool no_budget = a->device.device.empty() && a->device.sram == 0 && a->device.flash == 0;
    auto budget =
        given_arch && no_budget ? Expected<DeviceBudget>(DeviceBudget{}) : ResolveBudget(a->device);
    if (!budget.ok()) return fail(budget.status().message());
    auto preset = BudgetByName(a->budget);
    if (!preset.ok()) return fail(preset.status().message());
    SearchRequest req;
    req.dataset = a->dataset;
    req.constraints = {budget->sram, budget->flash};
    req.budget = *preset;
    if (a->final_steps > 0) req.budget.final_steps = a->final_steps;
    if (a->supernet_steps > 0) {
      // The first steps train the largest subnet alone; a run that ends there
      // would hand evolution a supernet whose other subnets were never trained.
      if (a->supernet_steps <= preset->largest_only_steps) {
        return fail(fmt::format(
            "--supernet-steps {}: give more than {}, the {} budget's warm-up steps of the "
            "largest subnet alone",
            a->supernet_steps, preset->largest_only_steps, preset->name));
      }
      req.budget.supernet_steps = a->supernet_steps;
    }
    if (a->no_augment) req.budget.augment = false;
    if (!a->final_init.empty()) req.budget.final_also_from_scratch = a->final_init == "both";
    if (given_arch) {
      auto arch = ReadArchFile(a->arch);
      if (!arch.ok()) return fail(arch.status().message());
      req.arch = *arch;
    }
    if (a->population > 0) req.budget.evolution.population = a->population;
    if (a->generations > 0) req.budget.evolution.generations = a->generations;
    if (a->parents > 0) req.budget.evolution.parents_fraction = a->parents;
    if (a->mutation >= 0) req.budget.evolution.mutation_probability = a->mutation;
    if (a->crossover >= 0) req.budget.evolution.crossover_share = a->crossover;
    if (!a->selection.empty()) req.budget.parents_among_ties = a->selection == "macs-among-ties";
    req.out_dir = a->out;
    req.seed = a->seed;
    req.threads = a->threads;
    req.baselines = !a->no_baselines;
    req.restart = a->restart;
    req.export_int8 = !a->no_export;
    req.device = budget->device;
    req.calibration_images = a->calibration_images;
    req.firmware_images = a->firmware_images;
    req.qat_steps = a->qat_steps;
    req.plugin = DefaultPluginPath();
    if ((a->width > 0) != (a->resolution > 0)) return fail("give both --width and --resolution");
    if (a->width > 0) {
      SearchSpace s;
      s.width = a->width;
      s.resolution = a->resolution;
      req.space = s;
    }
    auto bar = std::make_shared<ProgressBar>();
    bar->SetLogFile((std::filesystem::path(a->out) / "mcunet.log").string());
    bar->Record(command_line);
    req.log = [bar](const std::string& line) { bar->Log(line); };
    req.progress = [bar](const std::string& phase, int64_t done, int64_t total,
                         const std::string& info) { bar->Update(phase, done, total, info); };
    auto summary = RunStage2(req, given_arch ? Stage2Scope::kTrainArch : scope);
    bar->Finish();
    if (!summary.ok()) return fail(summary.status().message());
    if (a->json) {
      fmt::print("{}\n", *summary);
    } else {
      const nlohmann::json parsed = nlohmann::json::parse(*summary);
      PrintTable(parsed);
      PrintDeviceSummary(parsed);
      fmt::print("results in {}/ ({})\n", a->out, given_arch ? "trained.json" : "summary.json");
    }
    // A firmware that disagrees with the host runtime is our bug: say so loudly.
    const nlohmann::json parsed = nlohmann::json::parse(*summary);
    if (parsed.contains("firmware") && !parsed["firmware"].value("bit_exact", true)) {
      return fail("the firmware's outputs under QEMU differ from the host runtime's (" +
                  parsed["firmware"]["dir"].get<std::string>() + ")");
    }
    return 0;
  };
}

}  // namespace mcunet::cli
