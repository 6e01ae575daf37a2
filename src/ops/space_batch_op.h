// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND share their preparation
// (ops/space_to_batch_nd.cc): Keras writes a dilated convolution as
// SPACE_TO_BATCH_ND -> CONV_2D -> BATCH_TO_SPACE_ND.
#pragma once

#include <memory>

#include "ops/op.h"

namespace mcunet {

// Input 0 NHWC or NHC (int8 or float32), input 1 constant int32 block shape [M],
// input 2 constant int32 paddings / crops [M, 2] (M = 2, or 1 for rank 3).
Expected<std::unique_ptr<PreparedOp>> PrepareSpaceBatch(const Graph& g, const Node& node,
                                                        bool to_batch);

}  // namespace mcunet
