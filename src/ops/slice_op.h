// The copy STRIDED_SLICE, SLICE, SPLIT, SPLIT_V and UNPACK share: each output is
// a strided box of the input (kernels/strided_slice.c, one call per output).
#pragma once

#include <memory>
#include <vector>

#include "ir/graph.h"
#include "kernels/mcunet_kernels.h"
#include "ops/op.h"

namespace mcunet {

// One output's box: per input axis, the first index, the end (exclusive) and
// the step; the input is padded to 4 dimensions here.
struct SliceBox {
  std::vector<int32_t> start, stop, stride;
};

mcunet_strided_slice_params SliceParams(const Tensor& input, const SliceBox& box);

// outputs[i] is box i of input `data_input` (SPLIT's data is its operand 1).
std::unique_ptr<PreparedOp> MakeSliceOp(std::vector<mcunet_strided_slice_params> outputs,
                                        size_t data_input = 0);

// The boxes that cut `input` along `axis` into consecutive pieces of `sizes`.
std::vector<SliceBox> SplitBoxes(const Tensor& input, int axis, const std::vector<int32_t>& sizes);

}  // namespace mcunet
