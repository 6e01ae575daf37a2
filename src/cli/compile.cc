// mcunet compile MODEL.tflite -o DIR [--name NAME] [--target ...]
#include <fmt/core.h>


#include "cli/commands.h"
#include "codegen/c_project.h"
#include "compiler/compile_file.h"
#include "core/read_file.h"

namespace mcunet::cli {

Command AddCompileCommand(CLI::App& app, std::string command_line) {
  auto model = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto options = std::make_shared<CodegenOptions>();
  app.add_option("model", *model, "Model file (.tflite, int8)")->required();
  app.add_option("-o,--output", *out, "Directory for the generated C project")->required();
  app.add_option("--name", options->name, "C prefix of every symbol and file")
      ->default_str("model");
  app.add_option("--target", options->target,
                 "Default Makefile goal: host, cortex-m7, cortex-m4 or cortex-m0plus")
      ->default_str("host");
  app.footer(
      "Writes the deliverable, model/ (NAME.h: arena, input and output sizes and\n"
      "quantisation, NAME_invoke; NAME.c: static arena of the planned size, one kernel call\n"
      "per layer; NAME_weights.c: const arrays) and kernels/ (only those the model uses),\n"
      "plus harness/ (host and QEMU runners, start-up, linker script), a Makefile and a\n"
      "README.md saying how to call it from firmware.\n"
      "Example: mcunet compile models/tflm_person_detect.tflite -o person --name person");
  return [model, out, options, command_line]() {
    auto compiled = CompileTfliteFile(*model);
    if (!compiled.ok()) {
      fmt::print(stderr, "error: {}\n", compiled.status().message());
      return 1;
    }
    auto bytes = ReadFileBytes(*model);  // read once more for the hash: it was just compiled
    if (!bytes.ok()) {
      fmt::print(stderr, "error: {}\n", bytes.status().message());
      return 1;
    }
    options->source_description = *model;
    options->source_hash = Fnv1a64Hex(*bytes);
    options->command_line = command_line;
    auto files = GenerateCProject(*compiled, *options);
    if (!files.ok()) {
      fmt::print(stderr, "error: {}\n", files.status().message());
      return 1;
    }
    const Status s = WriteProject(*out, *files);
    if (!s.ok()) {
      fmt::print(stderr, "error: {}\n", s.message());
      return 1;
    }
    fmt::print("{}: {} files, arena {} bytes\n", *out, files->size(), compiled->arena_bytes());
    return 0;
  };
}

}  // namespace mcunet::cli
