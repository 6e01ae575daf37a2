// The commands that train with libtorch. They live in a second program,
// mcunet-nas, so that every other command starts without loading libtorch
// (about a second); `mcunet` lists them and hands them over (cli/main.cc).
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "nas/stage2.h"

namespace mcunet::cli {

inline constexpr const char* kNasProgram = "mcunet-nas";

struct NasCommandInfo {
  const char* name;
  const char* summary;
};
inline constexpr NasCommandInfo kNasCommands[] = {
    {"export", "Quantise a trained search/train run to an int8 .tflite; float and int8 accuracy"},
    {"search", "TinyNAS: the most accurate network that fits a device, trained on a data set"},
    {"train",
     "TinyNAS stage 2, first part: train the weight-sharing supernet (or one network: --arch)"},
    {"evolve", "TinyNAS stage 2, second part: evolution on a trained supernet, final training"},
};

Command AddExportCommand(CLI::App& app);  // run folder -> quantised int8 .tflite (nas/export.h)
// search (all phases), train (supernet only), evolve (from a trained supernet);
// `command_line` opens the run's log.
Command AddStage2Command(CLI::App& app, Stage2Scope scope, std::string command_line);

}  // namespace mcunet::cli
