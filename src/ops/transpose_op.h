// The prepared TRANSPOSE, shared with the ops that are a transpose of a
// reshaped view (DEPTH_TO_SPACE, SPACE_TO_DEPTH).
#pragma once

#include <memory>

#include "kernels/mcunet_kernels.h"
#include "ops/op.h"

namespace mcunet {

std::unique_ptr<PreparedOp> MakeTransposeOp(const mcunet_transpose_params& params);

// DEPTH_TO_SPACE / SPACE_TO_DEPTH: int8 or float32 NHWC, block size > 0. Both
// swap the two middle axes of a 6-D view; `to_space` picks the direction.
Expected<std::unique_ptr<PreparedOp>> PrepareBlockRearrange(const Graph& g, const Node& node,
                                                            bool to_space);

}  // namespace mcunet
