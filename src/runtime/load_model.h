// One call from a .tflite path to a ready executor (read, compile, allocate the
// arena), errors prefixed with the path.
#pragma once

#include <memory>
#include <string>

#include "runtime/executor.h"

namespace mcunet {

using LoadOptions = CompileOptions;

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path,
                                              const LoadOptions& options = {});

}  // namespace mcunet
