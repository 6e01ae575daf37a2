// mcunet run MODEL.tflite --input IN.bin [...] --output OUT.bin [...]
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/read_file.h"
#include "runtime/load_model.h"

namespace mcunet::cli {
namespace {

int Fail(const Status& status) {
  fmt::print(stderr, "error: {}\n", status.message());
  return 1;
}

}  // namespace

Command AddRunCommand(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto outputs = std::make_shared<std::vector<std::string>>();
  app.add_option("model", *model, "Model file (.tflite, int8)")->required();
  app.add_option("--input,-i", *inputs,
                 "Raw little-endian bytes of each model input, in the model's input order")
      ->required();
  app.add_option("--output,-o", *outputs,
                 "Where to write each model output (raw bytes), in the model's output order")
      ->required();
  app.footer(
      "Example: mcunet run model.tflite --input in.bin --output out.bin\n"
      "Inputs must have exactly the tensor's byte size (mcunet analyze shows shapes).");
  return [model, inputs, outputs]() {
    auto loaded = LoadModel(*model);
    if (!loaded.ok()) return Fail(loaded.status());
    Executor& ex = **loaded;
    const Graph& g = ex.graph();
    if (inputs->size() != g.inputs.size() || outputs->size() != g.outputs.size()) {
      return Fail(Status::Error(
          fmt::format("{}: the model has {} inputs and {} outputs; got {} "
                      "--input and {} --output",
                      *model, g.inputs.size(), g.outputs.size(), inputs->size(), outputs->size())));
    }
    for (size_t i = 0; i < inputs->size(); ++i) {
      auto bytes = ReadFileBytes((*inputs)[i]);
      if (!bytes.ok()) return Fail(bytes.status());
      const Status s = ex.SetInput(i, *bytes);
      if (!s.ok()) return Fail(s.WithContext((*inputs)[i] + ": "));
    }
    const Status s = ex.Invoke();
    if (!s.ok()) return Fail(s.WithContext(*model + ": "));
    for (size_t i = 0; i < outputs->size(); ++i) {
      const auto bytes = ex.Output(i);
      const Status w = WriteFileAtomically(
          (*outputs)[i], {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
      if (!w.ok()) return Fail(w);
    }
    return 0;
  };
}

}  // namespace mcunet::cli
