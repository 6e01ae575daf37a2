// Our IR graph as a standard TFLite flatbuffer (schema version 3): what
// `mcunet export` hands to users and to any other TFLite interpreter. Only what
// the public schema says is written: operator codes in both the deprecated and
// the current builtin-code fields, per-channel quantisation with its quantized
// dimension, constants in 16-byte-aligned buffers, tensor names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "ir/graph.h"

namespace mcunet {

// Tensors no operator, input or output refers to are left out (indices are
// renumbered in order). A convolution whose explicit padding (after PAD
// folding) is neither SAME nor VALID is written as PAD + VALID convolution.
Expected<std::vector<uint8_t>> WriteTfliteModel(const Graph& graph);

// Writes atomically: a failure leaves no half-written file.
Status WriteTfliteFile(const Graph& graph, const std::string& path);

}  // namespace mcunet
