#include "compiler/compile_file.h"

#include "arch/arch_builder.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

Expected<CompiledModel> CompileWithContext(Graph graph, const std::string& path,
                                           const CompileOptions& options) {
  auto model = Compile(std::move(graph), options);
  if (!model.ok()) return model.status().WithContext(path + ": ");
  return model;
}

}  // namespace

Expected<CompiledModel> CompileTfliteFile(const std::string& path, const CompileOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(Graph graph, ReadTfliteFile(path));
  return CompileWithContext(std::move(graph), path, options);
}

Expected<CompiledModel> CompileArchFile(const std::string& path, const CompileOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(ArchConfig arch, ReadArchFile(path));
  auto graph = BuildArchGraph(arch);
  if (!graph.ok()) return graph.status().WithContext(path + ": ");
  return CompileWithContext(std::move(graph).value(), path, options);
}

}  // namespace mcunet
