#include "runtime/load_model.h"

#include "tflite/reader.h"

namespace mcunet {

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path) {
  MCUNET_ASSIGN_OR_RETURN(Graph graph, ReadTfliteFile(path));
  auto executor = Executor::Create(std::move(graph));
  if (!executor.ok()) return executor.status().WithContext(path + ": ");
  return executor;
}

}  // namespace mcunet
