// Reads an untrusted .tflite flatbuffer into the graph IR: verifies the
// flatbuffer, then checks every index, size, and quantisation parameter, so the
// rest of the engine can trust the Graph it gets.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/status.h"
#include "ir/graph.h"

namespace mcunet {

// Errors name the operator index and kind and the tensor where one applies.
Expected<Graph> ReadTfliteModel(std::span<const uint8_t> bytes);
// As above; errors start with "PATH: ".
Expected<Graph> ReadTfliteFile(const std::string& path);

}  // namespace mcunet
