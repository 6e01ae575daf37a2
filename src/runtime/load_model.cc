#include "runtime/load_model.h"

#include "compiler/compile_file.h"

namespace mcunet {

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path, const LoadOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(CompiledModel model, CompileTfliteFile(path, options));
  return Executor::Create(std::move(model));
}

}  // namespace mcunet
