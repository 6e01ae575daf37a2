// NumPy broadcasting of two inputs up to rank 4, as the binary elementwise
// kernels (ADD, MUL) read them: shapes right-aligned and left-padded with 1, and
// per-input strides over the output's coordinates that are 0 where the input
// repeats.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "ir/graph.h"

namespace mcunet {

struct Broadcast4D {
  int32_t out_dims[4];
  int32_t in1_strides[4];
  int32_t in2_strides[4];
};

// Inputs 0 and 1 of `node`: rank at most 4, broadcastable, and output 0 of the
// broadcast shape.
Expected<Broadcast4D> BroadcastInputs(const Graph& g, const Node& node);

// In-place rule of a kernel that writes output element i (row-major) after
// reading element i of both inputs: an input read densely (not broadcast) may
// share its bytes with the output at offset 0; a repeated input may not.
int64_t BroadcastInPlaceOffset(const int32_t out_dims[4], const int32_t in_strides[4]);

}  // namespace mcunet
