// The mcunet subcommands; each registers its options on the CLI11 app and
// returns the process exit code when run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "compiler/compile.h"
#include "core/devices.h"

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
      "Store every constant at the model's size. Otherwise, on cores with DSP, layers "
      "whose kernels run faster from int16 weights (1x1 and k x k convolutions' three-pixel "
      "blocks, about 20 % fewer instructions; depthwise by pixel, about 20 %) store them so, "
      "those saving the most per byte first, while Flash stays within 1 MB or --device's");
}

// A named device bounds the Flash traded for speed; a core without DSP takes
// none (its firmware reads the model's bytes).
inline void FitFlashForSpeedToDevice(const DeviceProfile& device, CompileOptions* options) {
  options->flash_limit = device.flash_bytes;
  if (!device.dsp) options->flash_for_speed = false;
}

}  // namespace mcunet::cli
