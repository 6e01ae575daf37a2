// mcunet: deep learning on microcontrollers.
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <numeric>
#include <string_view>
#include <vector>

#include "cli/nas_commands.h"

namespace {

// Exit codes, as the top-level --help documents them.
constexpr int kExitUsage = 2;

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "" when `word` is a command or nothing is close to it.
std::string ClosestCommand(const CLI::App& app, std::string_view word) {
  std::string best;
  size_t best_distance = 3;  // two edits at most: a typo, not another word
  for (const CLI::App* sub : app.get_subcommands({})) {
    const std::string& name = sub->get_name();
    if (name == word) return "";
    const size_t d = EditDistance(word, name);
    if (d < best_distance || (name.starts_with(word) && word.size() >= 2 && best.empty())) {
      best = name;
      best_distance = std::min(d, best_distance);
    }
  }
  return best;
}

bool IsNasCommand(std::string_view word) {
  for (const mcunet::cli::NasCommandInfo& info : mcunet::cli::kNasCommands) {
    if (word == info.name) return true;
  }
  return false;
}

// Replaces this process with mcunet-nas from the same folder, same arguments;
// returns only on failure.
int RunNasProgram(char** argv) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path nas =
      (ec ? std::filesystem::path(argv[0]) : self).parent_path() / mcunet::cli::kNasProgram;
  const std::string path = nas.string();
  argv[0] = const_cast<char*>(path.c_str());
  execv(path.c_str(), argv);
  fmt::print(stderr,
             "error: 'mcunet {}' runs {}, which could not be started: {} (it is built beside "
             "mcunet by `make build`)\n",
             argv[1], path, std::strerror(errno));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "mcunet: int8 TFLite models on microcontrollers (TinyEngine + TinyNAS rebuilt).\n"
      "Run 'mcunet COMMAND --help' for the options of a command."};
  app.footer(
      "Exit codes: 0 done; 1 an error in the input or a refusal (unreadable or unsupported\n"
      "model, missing data set, a budget no network meets), with a message naming what and\n"
      "where; 2 a usage error (unknown command or option, missing argument).");
  app.name("mcunet");  // usage lines as the user types them, not the build path
  app.set_version_flag("--version", std::string("mcunet ") + MCUNET_VERSION,
                       "Print the version and exit");
  app.require_subcommand(1);
  std::map<CLI::App*, mcunet::cli::Command> commands;
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Per-layer table of a .tflite model: shapes, MACs, weights, arena");
  commands[analyze] = mcunet::cli::AddAnalyzeCommand(*analyze);
  CLI::App* run =
      app.add_subcommand("run", "Run a .tflite model on the host runtime on raw input tensors");
  commands[run] = mcunet::cli::AddRunCommand(*run);
  CLI::App* evaluate = app.add_subcommand(
      "evaluate", "Top-1 accuracy of a .tflite model on a data set's test images (host runtime)");
  commands[evaluate] = mcunet::cli::AddEvaluateCommand(*evaluate);
  std::string command_line = "mcunet";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  CLI::App* compile = app.add_subcommand(
      "compile", "Generate a standalone C99 project (host and Cortex-M) for a .tflite model");
  commands[compile] = mcunet::cli::AddCompileCommand(*compile, command_line);
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check the generated C on the host and on an emulated Cortex-M against the runtime");
  commands[validate] = mcunet::cli::AddValidateCommand(*validate);
  CLI::App* report = app.add_subcommand(
      "report", "One self-contained HTML page for a model or a search folder: figures, plots, layers");
  commands[report] = mcunet::cli::AddReportCommand(*report);
  CLI::App* devices = app.add_subcommand(
      "devices", "The device profiles --device takes: core, clock, SRAM and Flash");
  commands[devices] = mcunet::cli::AddDevicesCommand(*devices);
  CLI::App* space = app.add_subcommand(
      "space", "TinyNAS stage 1: rank (width, resolution) search spaces for a device");
  commands[space] = mcunet::cli::AddSpaceCommand(*space);
  // Listed here, run by mcunet-nas (before parsing, below).
  for (const mcunet::cli::NasCommandInfo& info : mcunet::cli::kNasCommands) {
    app.add_subcommand(info.name, info.summary);
  }
  if (argc > 1 && IsNasCommand(argv[1])) return RunNasProgram(argv);
  if (argc > 1 && argv[1][0] != '-') {
    const std::string guess = ClosestCommand(app, argv[1]);
    if (!guess.empty()) {
      fmt::print(stderr, "error: '{}' is not a command; did you mean '{}'?\n", argv[1], guess);
      fmt::print(stderr, "Run 'mcunet --help' for the list of commands.\n");
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, the version or the error
    return code == 0 ? 0 : kExitUsage;
  }
  for (auto& [sub, command] : commands) {
    if (sub->parsed()) return command();
  }
  return kExitUsage;
}
