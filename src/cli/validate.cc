// mcunet validate MODEL.tflite [--target cortex-m7] [--input IN.bin] [--json]
#include <fmt/core.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/device_verdict.h"
#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "compiler/compile_file.h"
#include "compiler/model_stats.h"
#include "core/read_file.h"
#include "runtime/executor.h"

namespace mcunet::cli {
namespace {

// The golden generator's case-0 pattern: element i = (i*7)%256 - 128 (float: /128).
std::vector<uint8_t> PatternInput(const Graph& g) {
  std::vector<uint8_t> bytes;
  for (int index : g.inputs) {
    const Tensor& t = g.tensors[index];
    for (int64_t i = 0; i < t.NumElements(); ++i) {
      const int v = static_cast<int>((i * 7) % 256) - 128;
      if (t.type == DataType::kFloat32) {
        const float f = v / 128.0f;
        uint8_t raw[4];
        std::memcpy(raw, &f, 4);
        bytes.insert(bytes.end(), raw, raw + 4);
      } else {
        for (size_t b = 0; b < DataTypeSize(t.type); ++b) {
          bytes.push_back(b == 0 ? static_cast<uint8_t>(v) : (v < 0 ? 0xFF : 0));
        }
      }
    }
  }
  return bytes;
}

struct LayerRow {
  int node = 0;
  int op_index = 0;
  std::string op, kernel, output_shape;
  int64_t macs = 0;
};

// Each layer's operator and the kernel function its generated call uses.
std::vector<LayerRow> LayerRows(const CompiledModel& model) {
  std::vector<LayerRow> rows;
  for (const LayerStats& l : ComputeModelStats(model).layers) {
    rows.push_back(
        {static_cast<int>(rows.size()), l.index, l.op, l.kernel, l.output_shape, l.macs});
  }
  return rows;
}

nlohmann::json LayersJson(const std::vector<LayerRow>& layers,
                          const std::vector<int64_t>& instructions) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < instructions.size(); ++i) {
    const LayerRow& l = layers[i];
    rows.push_back({{"layer", l.node},
                    {"operator", l.op_index},
                    {"op", l.op},
                    {"kernel", l.kernel},
                    {"output_shape", l.output_shape},
                    {"macs", l.macs},
                    {"instructions", instructions[i]}});
  }
  return rows;
}

void PrintLayers(const std::vector<LayerRow>& layers, const std::vector<int64_t>& instructions) {
  int64_t total = 0;
  for (int64_t n : instructions) total += n;
  fmt::print("\n  {:>5} {:>4} {:<18} {:<32} {:<16} {:>11} {:>12} {:>9} {:>6}\n", "layer", "op",
             "operator", "kernel", "output", "MACs", "instructions", "per MAC", "share");
  for (size_t i = 0; i < instructions.size(); ++i) {
    const LayerRow& l = layers[i];
    fmt::print("  {:>5} {:>4} {:<18} {:<32} {:<16} {:>11} {:>12} {:>9} {:>5.1f}%\n", l.node,
               l.op_index, l.op.substr(0, 18), l.kernel.substr(0, 32), l.output_shape.substr(0, 16),
               l.macs, instructions[i],
               l.macs > 0 ? fmt::format("{:.2f}", double(instructions[i]) / l.macs) : "-",
               total > 0 ? 100.0 * instructions[i] / total : 0.0);
  }
  fmt::print(
      "  per-layer counts come from a profiling build: a marker call (about 3 instructions)"
      " after each layer\n");
}

}  // namespace

Command AddValidateCommand(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto target = std::make_shared<std::string>("cortex-m7");
  auto input = std::make_shared<std::string>();
  auto keep = std::make_shared<std::string>();
  auto plugin = std::make_shared<std::string>(DefaultPluginPath());
  auto json = std::make_shared<bool>(false);
  auto per_layer = std::make_shared<bool>(false);
  auto device = std::make_shared<std::string>();
  auto devices_file = std::make_shared<std::string>();
  auto compile_options = std::make_shared<CompileOptions>();
  app.add_option("model", *model, "Model file (.tflite, int8)")->required();
  CLI::Option* target_option =
      app.add_option("--target", *target,
                     "cortex-m7 (QEMU mps2-an500), cortex-m4 (mps2-an386) or cortex-m0plus "
                     "(ARMv6-M code on mps2-an385's Cortex-M3)")
          ->default_str("cortex-m7");
  app.add_option("--input", *input,
                 "Raw input bytes (default: the pattern (i*7)%256-128 over every element)");
  app.add_option("--keep", *keep, "Generate the project in this directory and keep it");
  app.add_option("--plugin", *plugin, "QEMU instruction-counting plugin (mcunet_insn_count.so)");
  app.add_flag("--json", *json,
               "Print JSON: bit_exact, flash_bytes, code_bytes, sram_bytes, arena_bytes, "
               "instructions, stack_bytes");
  app.add_option("--device", *device,
                 "Run on this device's core (`mcunet devices`) and say whether the built firmware "
                 "fits its SRAM and Flash, with the latency at its clock");
  app.add_option("--devices", *devices_file, "Device profiles file (default: the built-in ones)");
  app.add_flag("--per-layer", *per_layer,
               "Also count each layer's instructions on the target (a second, profiling build "
               "with a marker call after each layer) and print them with MACs and kernel");
  AddKeepFlashFlag(app, compile_options);
  app.footer(
      "Runs the host runtime, the generated C on the host and the generated C on an emulated\n"
      "Cortex-M, and compares the three outputs byte for byte (exit 1 if they differ).\n"
      "Needs make, a host C compiler, arm-none-eabi-gcc and qemu-system-arm.\n"
      "Example: mcunet validate models/tflm_person_detect.tflite --device stm32f746 --per-layer");
  return [=]() {
    const auto fail = [&](const std::string& message) {
      fmt::print(stderr, "error: {}\n", message);
      return 1;
    };
    std::optional<DeviceProfile> profile;
    if (!device->empty()) {
      auto found = FindDevice(*device, *devices_file);
      if (!found.ok()) return fail(found.status().message());
      profile = *found;
      if (target_option->count() > 0 && *target != profile->core) {
        return fail(fmt::format("--target {} but --device {} has a {}", *target, profile->name,
                                profile->core));
      }
      *target = profile->core;
      FitFlashForSpeedToDevice(*profile, compile_options.get());
    }
    auto compiled = CompileTfliteFile(*model, *compile_options);
    if (!compiled.ok()) return fail(compiled.status().message());
    CodegenOptions options;
    options.source_description = *model;
    auto files = GenerateCProject(*compiled, options);
    if (!files.ok()) return fail(files.status().message());
    const std::vector<LayerRow> layers =
        *per_layer ? LayerRows(*compiled) : std::vector<LayerRow>{};
    auto loaded = Executor::Create(std::move(compiled).value());
    if (!loaded.ok()) return fail(loaded.status().message());
    Executor& ex = **loaded;
    std::vector<uint8_t> in;
    if (input->empty()) {
      in = PatternInput(ex.graph());
    } else {
      auto bytes = ReadFileBytes(*input);
      if (!bytes.ok()) return fail(bytes.status().message());
      in = std::move(bytes).value();
    }
    // Host runtime (inputs concatenated in model order).
    size_t offset = 0;
    for (size_t i = 0; i < ex.graph().inputs.size(); ++i) {
      const size_t n = static_cast<size_t>(ex.graph().tensors[ex.graph().inputs[i]].Bytes());
      if (offset + n > in.size()) {
        return fail(
            fmt::format("{}: {} bytes, the model's inputs need {}", *input, in.size(), offset + n));
      }
      const Status s = ex.SetInput(i, std::span<const uint8_t>(in.data() + offset, n));
      if (!s.ok()) return fail(s.message());
      offset += n;
    }
    if (offset != in.size()) {
      return fail(
          fmt::format("{}: {} bytes, the model's inputs need {}", *input, in.size(), offset));
    }
    const Status invoked = ex.Invoke();
    if (!invoked.ok()) return fail(invoked.message());
    std::vector<uint8_t> runtime_out;
    for (size_t i = 0; i < ex.graph().outputs.size(); ++i) {
      auto o = ex.Output(i);
      runtime_out.insert(runtime_out.end(), o.begin(), o.end());
    }
    // Generated project.
    const std::string dir =
        keep->empty()
            ? (std::filesystem::temp_directory_path() / fmt::format("mcunet_validate_{}", getpid()))
                  .string()
            : *keep;
    const Status written = WriteProject(dir, *files);
    if (!written.ok()) return fail(written.message());
    auto host_out = RunOnHost(dir, options.name, in);
    if (!host_out.ok()) return fail(host_out.status().message());
    auto mcu = RunOnQemu(dir, options.name, *target, in, *plugin);
    if (!mcu.ok()) return fail(mcu.status().message());
    std::vector<int64_t> layer_instructions;
    if (*per_layer) {
      auto profiled = RunOnQemu(dir, options.name, *target, in, *plugin, 300, true);
      if (!profiled.ok()) return fail(profiled.status().message());
      if (profiled->layer_instructions.size() != layers.size()) {
        return fail(fmt::format("per-layer counts: {} layer markers for {} layers",
                                profiled->layer_instructions.size(), layers.size()));
      }
      layer_instructions = profiled->layer_instructions;
    }
    if (keep->empty()) std::filesystem::remove_all(dir);

    const bool host_exact = *host_out == runtime_out;
    const bool mcu_exact = mcu->output == runtime_out;
    const int64_t arena = ex.arena_bytes();
    const DeviceVerdictInput verdict{mcu->sram_bytes, "firmware: arena, statics and stack used",
                                     mcu->flash_bytes, "built ELF: code, weights and tables",
                                     mcu->instructions};
    if (*json) {
      fmt::print("{}\n", nlohmann::json{{"model", *model},
                                        {"target", *target},
                                        {"bit_exact", host_exact && mcu_exact},
                                        {"host_c_bit_exact", host_exact},
                                        {"target_bit_exact", mcu_exact},
                                        {"flash_bytes", mcu->flash_bytes},
                                        {"code_bytes", mcu->code_bytes},
                                        {"sram_bytes", mcu->sram_bytes},
                                        {"arena_bytes", arena},
                                        {"stack_bytes", mcu->stack_bytes},
                                        {"runner_io_bytes", mcu->runner_bytes},
                                        {"instructions", mcu->instructions},
                                        {"layers", LayersJson(layers, layer_instructions)},
                                        {"device",
                                         profile ? DeviceVerdictJson(*profile, ex.model(), verdict)
                                                 : nlohmann::json(nullptr)}}
                             .dump(2));
    } else {
      fmt::print("{} on {}\n", *model, *target);
      fmt::print("  host runtime vs generated C (host):   {}\n",
                 host_exact ? "bit-exact" : "DIFFERENT");
      fmt::print("  host runtime vs generated C ({}): {}\n", *target,
                 mcu_exact ? "bit-exact" : "DIFFERENT");
      fmt::print("  {:<28} {:>12}\n", "flash bytes", mcu->flash_bytes);
      fmt::print("  {:<28} {:>12}\n", "code bytes (no weights)", mcu->code_bytes);
      fmt::print("  {:<28} {:>12}\n", "SRAM bytes (statics+stack)", mcu->sram_bytes);
      fmt::print("  {:<28} {:>12}\n", "  of which arena", arena);
      fmt::print("  {:<28} {:>12}\n", "  of which runner I/O", mcu->runner_bytes);
      fmt::print("  {:<28} {:>12}\n", "  of which stack used", mcu->stack_bytes);
      fmt::print("  {:<28} {:>12}\n", "instructions per inference", mcu->instructions);
      if (!layer_instructions.empty()) PrintLayers(layers, layer_instructions);
      if (profile) PrintDeviceVerdict(*profile, ex.model(), verdict);
    }
    return host_exact && mcu_exact ? 0 : 1;
  };
}

}  // namespace mcunet::cli
