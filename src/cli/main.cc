// mcunet: deep learning on microcontrollers.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <map>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "mcunet: int8 TFLite models on microcontrollers (TinyEngine + TinyNAS rebuilt).\n"
      "Run 'mcunet COMMAND --help' for the options of a command."};
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
  CLI::App* export_run = app.add_subcommand(
      "export", "Quantise a trained search/train run to an int8 .tflite; float and int8 accuracy");
  commands[export_run] = mcunet::cli::AddExportCommand(*export_run);
  std::string command_line = "mcunet";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  CLI::App* compile = app.add_subcommand(
      "compile", "Generate a standalone C99 project (host and Cortex-M) for a .tflite model");
  commands[compile] = mcunet::cli::AddCompileCommand(*compile, command_line);
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check the generated C on the host and on an emulated Cortex-M against the runtime");
  commands[validate] = mcunet::cli::AddValidateCommand(*validate);
  CLI::App* devices = app.add_subcommand(
      "devices", "The device profiles --device takes: core, clock, SRAM and Flash");
  commands[devices] = mcunet::cli::AddDevicesCommand(*devices);
  CLI::App* space = app.add_subcommand(
      "space", "TinyNAS stage 1: rank (width, resolution) search spaces for a device");
  commands[space] = mcunet::cli::AddSpaceCommand(*space);
  CLI::App* search = app.add_subcommand(
      "search", "TinyNAS: the most accurate network that fits a device, trained on a data set");
  commands[search] = mcunet::cli::AddStage2Command(*search, mcunet::Stage2Scope::kSearch);
  CLI::App* train = app.add_subcommand(
      "train", "TinyNAS stage 2, first part: train the weight-sharing supernet (or one network: --arch)");
  commands[train] = mcunet::cli::AddStage2Command(*train, mcunet::Stage2Scope::kTrainSupernet);
  CLI::App* evolve = app.add_subcommand(
      "evolve", "TinyNAS stage 2, second part: evolution on a trained supernet, final training");
  commands[evolve] = mcunet::cli::AddStage2Command(*evolve, mcunet::Stage2Scope::kEvolve);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& [sub, command] : commands) {
    if (sub->parsed()) return command();
  }
  return 2;
}
