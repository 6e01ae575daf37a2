#include "runtime/load_model.h"

#include "ir/passes.h"
#include "nas/arch_builder.h"
#include "tflite/reader.h"

namespace mcunet {

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path, const LoadOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(Graph graph, ReadTfliteFile(path));
  if (options.optimize) OptimizeGraph(graph);
  auto executor = Executor::Create(std::move(graph), options.plan);
  if (!executor.ok()) return executor.status().WithContext(path + ": ");
  return executor;
}

Expected<std::unique_ptr<Executor>> LoadArch(const std::string& path, const LoadOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(ArchConfig arch, ReadArchFile(path));
  auto graph = BuildArchGraph(arch);
  if (!graph.ok()) return graph.status().WithContext(path + ": ");
  if (options.optimize) OptimizeGraph(*graph);
  auto executor = Executor::Create(std::move(graph).value(), options.plan);
  if (!executor.ok()) return executor.status().WithContext(path + ": ");
  return executor;
}

}  // namespace mcunet
