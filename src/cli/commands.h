// The mcunet subcommands; each registers its options on the CLI11 app and
// returns the process exit code when run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "compiler/compile.h"

namespace mcunet::cli {

using Command = std::function<int()>;

Command AddAnalyzeCommand(CLI::App& app);
Command AddRunCommand(CLI::App& app);
Command AddEvaluateCommand(CLI::App& app);  // top-1 accuracy on a data set's test images
// `command_line` goes into the generated files' front matter.
Command AddCompileCommand(CLI::App& app, std::string command_line);
Command AddValidateCommand(CLI::App& app);
Command AddSpaceCommand(CLI::App& app);
Command AddDevicesCommand(CLI::App& app);  // the built-in device profiles
Command AddReportCommand(CLI::App& app);   // one self-contained HTML page

// --keep-flash (compile, validate, analyze): turns `options`'s flash_for_speed off.
inline void AddKeepFlashFlag(CLI::App& app, std::shared_ptr<CompileOptions> options) {
  app.add_flag_callback(
      "--keep-flash", [options] { options->flash_for_speed = false; },
      "Store every constant at the model's size: on cores with DSP, depthwise layers "
      "that run pixel by pixel keep their int8 filter (less Flash, those layers "
      "about 20 % slower) instead of one widened to int16");
}

}  // namespace mcunet::cli
