// A model compiled and written as a generated C project, ready for RunOnQemu,
// with an all-zero input (int8 0 or float 0.0): what the QEMU benchmarks share.
#pragma once

#include <fmt/core.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "codegen/c_project.h"
#include "compiler/compile_file.h"

struct FirmwareProject {
  mcunet::CompiledModel model;
  std::string dir;
  std::vector<uint8_t> input;
};

// nullopt (after saying why on stderr) when the model does not compile or the
// project cannot be written.
inline std::optional<FirmwareProject> WriteFirmwareProject(const std::string& path,
                                                           const std::string& dir_name) {
  auto model = mcunet::CompileTfliteFile(path);
  if (!model.ok()) {
    fmt::print(stderr, "skip: {}\n", model.status().message());
    return std::nullopt;
  }
  auto files = mcunet::GenerateCProject(*model, mcunet::CodegenOptions{});
  const auto dir = std::filesystem::temp_directory_path() / dir_name;
  std::filesystem::remove_all(dir);
  if (!files.ok() || !mcunet::WriteProject(dir.string(), *files).ok()) {
    fmt::print(stderr, "skip: {}: cannot write the generated project\n", path);
    return std::nullopt;
  }
  int64_t input_bytes = 0;
  for (int t : model->graph.inputs) input_bytes += model->graph.tensors[t].Bytes();
  return FirmwareProject{std::move(model).value(), dir.string(),
                         std::vector<uint8_t>(static_cast<size_t>(input_bytes), 0)};
}
