// One call from a .tflite path to a ready executor (read, optimise, prepare,
// plan), errors prefixed with the path.
#pragma once

#include <memory>
#include <string>

#include "runtime/executor.h"

namespace mcunet {

struct LoadOptions {
  bool optimize = true;  // graph passes (ir/passes.h)
  PlanOptions plan;
};

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path,
                                              const LoadOptions& options = {});
// The same for a network config (nas/arch.h) built as an int8 graph.
Expected<std::unique_ptr<Executor>> LoadArch(const std::string& path,
                                             const LoadOptions& options = {});

}  // namespace mcunet
