#include "nas/firmware.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <span>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "runtime/evaluate.h"

namespace mcunet {
namespace {

bool OnPath(const std::string& program) {
  return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

Expected<FirmwareReport> BuildAndCheckFirmware(Executor& host, const ImageSet& test,
                                               const FirmwareRequest& request) {
  const std::string& core = request.device.core;
  FirmwareReport r;
  r.dir = request.dir;
  r.core = core;
  r.arena_bytes = host.arena_bytes();
  if (core != "cortex-m7" && core != "cortex-m4" && core != "cortex-m0plus") {
    return Status::Error(fmt::format("device {}: core '{}' has no firmware target (cortex-m7, "
                                     "cortex-m4, cortex-m0plus)",
                                     request.device.name, core));
  }
  for (const char* tool : {"make", "cc", "arm-none-eabi-gcc", "qemu-system-arm"}) {
    if (!OnPath(tool)) {
      return Status::Error(fmt::format(
          "device {} ({}): '{}' is not installed, so the firmware cannot be built and run "
          "(Debian: make gcc gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)",
          request.device.name, core, tool));
    }
  }
  CodegenOptions options;
  options.target = core;
  options.source_description = request.model_description;
  MCUNET_ASSIGN_OR_RETURN(auto files, GenerateCProject(host.model(), options));
  MCUNET_RETURN_IF_ERROR(WriteProject(request.dir, files));

  MCUNET_ASSIGN_OR_RETURN(ImageInput input, ImageInputOf(host.graph()));
  MCUNET_RETURN_IF_ERROR(
      CheckImageInput(ImageShape{test.height, test.width, test.channels}, input));
  const Tensor& output = host.graph().tensors[host.graph().outputs[0]];
  std::vector<int64_t> instructions;
  std::vector<uint8_t> bytes(static_cast<size_t>(input.Bytes()));
  r.bit_exact = true;
  const int64_t count = std::min(request.images, test.count);
  for (int64_t i = 0; i < count; ++i) {
    const std::span<const uint8_t> image(test.pixels.data() + i * test.ImageBytes(),
                                         static_cast<size_t>(test.ImageBytes()));
    MCUNET_RETURN_IF_ERROR(PreprocessImage(
        image, ImageShape{test.height, test.width, test.channels}, input, bytes));
    MCUNET_RETURN_IF_ERROR(host.SetInput(0, bytes));
    MCUNET_RETURN_IF_ERROR(host.Invoke());
    const std::span<const uint8_t> expected = host.Output(0);
    auto run = RunOnQemu(request.dir, options.name, core, bytes, request.plugin);
    if (!run.ok()) return run.status().WithContext(request.dir + ": ");
    const bool same = std::equal(expected.begin(), expected.end(), run->output.begin(),
                                 run->output.end());
    r.bit_exact = r.bit_exact && same;
    r.labels.push_back(test.labels[static_cast<size_t>(i)]);
    // An output of the wrong size is no prediction (and not bit-exact).
    r.predicted.push_back(run->output.size() == expected.size()
                              ? PredictedClass(run->output, output.type, output.NumElements())
                              : -1);
    if (run->instructions >= 0) instructions.push_back(run->instructions);
    r.flash_bytes = run->flash_bytes;
    r.code_bytes = run->code_bytes;
    r.sram_bytes = run->sram_bytes;
    r.stack_bytes = run->stack_bytes;
    r.runner_bytes = run->runner_bytes;
  }
  r.images = count;
  if (!instructions.empty()) {
    std::nth_element(instructions.begin(), instructions.begin() + instructions.size() / 2,
                     instructions.end());
    r.instructions = instructions[instructions.size() / 2];
    if (request.device.mhz > 0) r.latency_ms = r.instructions / (request.device.mhz * 1e3);
  }
  return r;
}

}  // namespace mcunet
