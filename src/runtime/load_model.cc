#include "runtime/load_model.h"

#include "ir/passes.h"
#include "nas/arch_builder.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

// Optimise, prepare and plan a graph read from `path` (errors prefixed with it).
Expected<std::unique_ptr<Executor>> Prepare(Graph graph, const std::string& path,
                                            const LoadOptions& options) {
  if (options.optimize) OptimizeGraph(graph);
  auto executor = Executor::Create(std::move(graph), options.plan);
  if (!executor.ok()) return executor.status().WithContext(path + ": ");
  return executor;
}

}  // namespace

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path, const LoadOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(Graph graph, ReadTfliteFile(path));
  return Prepare(std::move(graph), path, options);
}

Expected<std::unique_ptr<Executor>> LoadArch(const std::string& path, const LoadOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(ArchConfig arch, ReadArchFile(path));
  auto graph = BuildArchGraph(arch);
  if (!graph.ok()) return graph.status().WithContext(path + ": ");
  return Prepare(std::move(graph).value(), path, options);
}

}  // namespace mcunet
