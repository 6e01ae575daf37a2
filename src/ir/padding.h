// Output size and padding of a sliding window, as TFLite computes them.
#pragma once

#include <cstdint>

#include "ir/graph.h"

namespace mcunet {

struct Padded {
  int32_t out = 0;         // output size along the axis
  int32_t pad_before = 0;  // implicit zero-point rows/columns before the input
  int32_t pad_after = 0;   // and after it (as far as the last window reaches)
};

// SAME/VALID follow TFLite (odd total padding puts the extra row after); kExplicit
// uses `before`/`after` as given.
Padded ComputePadding(Padding padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation,
                      int32_t before = 0, int32_t after = 0);

}  // namespace mcunet
