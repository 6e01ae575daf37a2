// Emits a standalone C99 project for a compiled model: no interpreter,
// no malloc, one static arena of exactly the planned size, weights as typed const
// arrays, one flat invoke calling one kernel per layer, only the kernels used.
#pragma once

#include <map>
#include <string>

#include "core/status.h"
#include "compiler/compile.h"

namespace mcunet {

struct CodegenOptions {
  std::string name = "model";   // C prefix of every symbol and file
  std::string target = "host";  // default Makefile goal: host, cortex-m4, cortex-m7, cortex-m0plus
  std::string source_description;  // front matter: the model file
  std::string source_hash;         // front matter: hash of the model bytes
  std::string command_line;        // front matter: how it was generated
};

// File name -> contents of the project.
Expected<std::map<std::string, std::string>> GenerateCProject(const CompiledModel& model,
                                                              const CodegenOptions& options);

// Writes the files into `dir` (created if missing) through temporary files and
// renames, so a failure leaves no half-written project file.
Status WriteProject(const std::string& dir, const std::map<std::string, std::string>& files);

// FNV-1a 64 of bytes, as 16 hex digits: the model hash in the front matter.
std::string Fnv1a64Hex(const std::vector<uint8_t>& bytes);

}  // namespace mcunet
