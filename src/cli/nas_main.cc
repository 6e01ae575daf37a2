// mcunet-nas: the libtorch commands (search, train, evolve, export). Users call
// them as `mcunet search ...`; mcunet runs this program with the same arguments.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <map>
#include <string_view>

#include "cli/nas_commands.h"

int main(int argc, char** argv) {
  using namespace mcunet::cli;
  CLI::App app{"mcunet: the TinyNAS commands, trained with libtorch."};
  app.name("mcunet");  // usage lines read as the user typed them
  app.require_subcommand(1);
  std::map<CLI::App*, Command> commands;
  std::string command_line = "mcunet";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  for (const NasCommandInfo& info : kNasCommands) {
    CLI::App* sub = app.add_subcommand(info.name, info.summary);
    const std::string_view name = info.name;
    const auto scope = name == "search"  ? mcunet::Stage2Scope::kSearch
                       : name == "train" ? mcunet::Stage2Scope::kTrainSupernet
                                         : mcunet::Stage2Scope::kEvolve;
    commands[sub] =
        name == "export" ? AddExportCommand(*sub) : AddStage2Command(*sub, scope, command_line);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  for (auto& [sub, command] : commands) {
    if (sub->parsed()) return command();
  }
  return 2;
}
