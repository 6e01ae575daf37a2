// mcunet compile MODEL.tflite -o DIR [--name NAME] [--target ...]
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include "cli/commands.h"
#include "cli/device_verdict.h"
#include "codegen/c_project.h"
#include "compiler/compile_file.h"
#include "compiler/model_stats.h"
#include "core/devices.h"
#include "core/read_file.h"

namespace mcunet::cli {
namespace {

// The top-level files and folders of a generated project (model/, kernels/,
// harness/, Makefile, README.md).
std::set<std::string> TopLevelEntries(const std::map<std::string, std::string>& files) {
  std::set<std::string> top;
  for (const auto& [path, text] : files) top.insert(path.substr(0, path.find('/')));
  return top;
}

// Refuses a folder with anything in it unless `force`; with `force`, removes what
// the project is about to write there, whole folders included (a firmware build
// that globs model/*.c must not pick up a previous model's files), and leaves
// the rest.
Status PrepareOutputFolder(const std::string& dir, bool force,
                           const std::map<std::string, std::string>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return OkStatus();
  if (!fs::is_directory(dir, ec)) {
    return Status::Error(fmt::format("{}: exists and is not a folder", dir));
  }
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    entries.push_back(e.path().filename().string());
  }
  if (ec) return Status::Error(fmt::format("{}: cannot list: {}", dir, ec.message()));
  if (entries.empty()) return OkStatus();
  if (!force) {
    std::sort(entries.begin(), entries.end());
    const size_t shown = std::min<size_t>(entries.size(), 4);
    std::string listed;
    for (size_t i = 0; i < shown; ++i) listed += (i ? ", " : "") + entries[i];
    if (shown < entries.size()) listed += ", ...";
    return Status::Error(fmt::format(
        "{}: folder is not empty ({} entries: {}); pass --force to replace the generated "
        "project's files and folders there (anything else is left alone), or choose another -o",
        dir, entries.size(), listed));
  }
  for (const std::string& entry : TopLevelEntries(files)) {
    fs::remove_all(fs::path(dir) / entry, ec);
    if (ec) return Status::Error(fmt::format("{}/{}: cannot remove: {}", dir, entry, ec.message()));
  }
  return OkStatus();
}

}  // namespace

Command AddCompileCommand(CLI::App& app, std::string command_line) {
  auto model = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto options = std::make_shared<CodegenOptions>();
  auto force = std::make_shared<bool>(false);
  auto device = std::make_shared<std::string>();
  auto devices_file = std::make_shared<std::string>();
  auto compile_options = std::make_shared<CompileOptions>();
  app.add_option("model", *model, "Model file (.tflite, int8)")->required();
  app.add_option("-o,--output", *out, "Directory for the generated C project")->required();
  app.add_option("--name", options->name, "C prefix of every symbol and file")
      ->default_str("model");
  CLI::Option* target =
      app.add_option("--target", options->target,
                     "Default Makefile goal: host, cortex-m7, cortex-m4 or cortex-m0plus")
          ->default_str("host");
  app.add_option("--device", *device,
                 "Build for this device (`mcunet devices`): its core becomes the default goal, "
                 "and a model that does not fit its SRAM or Flash is refused, naming by how much")
      ->excludes(target);
  app.add_option("--devices", *devices_file, "Device profiles file (default: the built-in ones)");
  app.add_flag("--force", *force,
               "Write into a folder that is not empty: replaces model/, kernels/, harness/, "
               "Makefile and README.md there, leaves other files alone");
  AddKeepFlashFlag(app, compile_options);
  app.footer(
      "Writes the deliverable, model/ (NAME.h: arena, input and output sizes and\n"
      "quantisation, NAME_invoke; NAME.c: static arena of the planned size, one kernel call\n"
      "per layer; NAME_weights.c: const arrays) and kernels/ (only those the model uses),\n"
      "plus harness/ (host and QEMU runners, start-up, linker script), a Makefile and a\n"
      "README.md saying how to call it from firmware.\n"
      "Example: mcunet compile models/tflm_person_detect.tflite -o person --name person");
  return [model, out, options, force, device, devices_file, compile_options, command_line]() {
    auto found = FindOptionalDevice(*device, *devices_file);
    if (!found.ok()) {
      fmt::print(stderr, "error: {}\n", found.status().message());
      return 1;
    }
    if (*found) FitFlashForSpeedToDevice(**found, compile_options.get());
    auto compiled = CompileTfliteFile(*model, *compile_options);
    if (!compiled.ok()) {
      fmt::print(stderr, "error: {}\n", compiled.status().message());
      return 1;
    }
    if (const std::optional<DeviceProfile>& profile = *found) {
      options->target = profile->core;
      const DeviceVerdictInput verdict =
          EstimatedVerdictInput(ComputeModelStats(*compiled), *profile);
      PrintDeviceVerdict(*profile, *compiled, verdict);
      if (!Fits(*profile, verdict)) {
        fmt::print(stderr, "error: {}: does not fit {} (above); nothing written\n", *model,
                   profile->name);
        return 1;
      }
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
    if (const Status s = PrepareOutputFolder(*out, *force, *files); !s.ok()) {
      fmt::print(stderr, "error: {}\n", s.message());
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
