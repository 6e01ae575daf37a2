// One call from a model file to a CompiledModel (read, then Compile), errors
// prefixed with the path: a .tflite through the TFLite reader, a network config
// (ProxylessNAS JSON) through the arch builder.
#pragma once

#include <string>

#include "compiler/compile.h"

namespace mcunet {

Expected<CompiledModel> CompileTfliteFile(const std::string& path,
                                          const CompileOptions& options = {});
// The network config built as an int8 graph (pseudo-random weights: its memory,
// MACs and Flash are exact, its outputs are not meaningful).
Expected<CompiledModel> CompileArchFile(const std::string& path,
                                        const CompileOptions& options = {});

}  // namespace mcunet
