#include "runtime/load_model.h"

#include "ir/passes.h"
#include "tflite/reader.h"

namespace mcunet {

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path, const LoadOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(Graph graph, ReadTfliteFile(path));
  if (options.optimize) OptimizeGraph(graph);
  auto executor = Executor::Create(std::move(graph), options.plan);
  if (!executor.ok()) return executor.status().WithContext(path + ": ");
  return executor;
}

}  // namespace mcunet
