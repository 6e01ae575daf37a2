// One call from a .tflite path to a ready executor, errors prefixed with the path.
#pragma once

#include <memory>
#include <string>

#include "runtime/executor.h"

namespace mcunet {

Expected<std::unique_ptr<Executor>> LoadModel(const std::string& path);

}  // namespace mcunet
