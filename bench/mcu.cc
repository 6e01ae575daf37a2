// Per shipped model on an emulated Cortex-M7 (QEMU mps2-an500): instructions per
// inference (deterministic: QEMU models no cycles), Flash, code size without
// weights, SRAM (statics + painted stack) and the planned arena. Table or --json.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "model_files.h"
#include "compiler/compile_file.h"

int main(int argc, char** argv) {
  CLI::App app{"Generated C on an emulated Cortex-M: instructions, Flash, code and SRAM per model"};
  std::vector<std::string> models;
  std::string target = "cortex-m7", plugin = mcunet::DefaultPluginPath();
  bool json = false;
  app.add_option("models", models, "Model files (default: every models/*.tflite)");
  app.add_option("--target", target, "cortex-m7 or cortex-m4");
  app.add_option("--plugin", plugin, "Path of mcunet_insn_count.so");
  app.add_flag("--json", json, "Print JSON");
  CLI11_PARSE(app, argc, argv);
  models = ModelFiles(models);
  nlohmann::json rows = nlohmann::json::array();
  if (!json) {
    fmt::print("{:<30} {:>14} {:>10} {:>9} {:>9} {:>9} {:>7}\n", "model (" + target + ")",
               "instructions", "flash B", "code B", "SRAM B", "arena B", "stack B");
  }
  for (const auto& path : models) {
    auto model = mcunet::CompileTfliteFile(path);
    if (!model.ok()) {
      fmt::print(stderr, "skip: {}\n", model.status().message());
      continue;
    }
    auto files = mcunet::GenerateCProject(*model, mcunet::CodegenOptions{});
    const auto dir = std::filesystem::temp_directory_path() / "mcunet_bench_mcu";
    std::filesystem::remove_all(dir);
    if (!files.ok() || !mcunet::WriteProject(dir.string(), *files).ok()) continue;
    int64_t input_bytes = 0;
    for (int t : model->graph.inputs) input_bytes += model->graph.tensors[t].Bytes();
    std::vector<uint8_t> input(static_cast<size_t>(input_bytes), 0);  // float 0.0 or int8 0
    auto run = mcunet::RunOnQemu(dir.string(), "model", target, input, plugin);
    std::filesystem::remove_all(dir);
    if (!run.ok()) {
      fmt::print(stderr, "{}: {}\n", path, run.status().message());
      continue;
    }
    const std::string name = std::filesystem::path(path).stem().string();
    rows.push_back({{"model", name},
                    {"target", target},
                    {"instructions", run->instructions},
                    {"flash_bytes", run->flash_bytes},
                    {"code_bytes", run->code_bytes},
                    {"sram_bytes", run->sram_bytes},
                    {"arena_bytes", model->arena_bytes()},
                    {"stack_bytes", run->stack_bytes}});
    if (!json) {
      fmt::print("{:<30} {:>14} {:>10} {:>9} {:>9} {:>9} {:>7}\n", name.substr(0, 30),
                 run->instructions, run->flash_bytes, run->code_bytes, run->sram_bytes,
                 model->arena_bytes(), run->stack_bytes);
    }
  }
  if (json) fmt::print("{}\n", rows.dump(2));
  return 0;
}
