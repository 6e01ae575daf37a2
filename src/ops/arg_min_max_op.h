// ARG_MAX and ARG_MIN share their preparation (ops/arg_max.cc).
#pragma once

#include <memory>

#include "ops/op.h"

namespace mcunet {

// Input int8 or float32, a constant int32 axis (its first value, as TF Lite
// Micro reads it), output int32 or int64 of the input's shape without the axis.
Expected<std::unique_ptr<PreparedOp>> PrepareArgMinMax(const Graph& g, const Node& node,
                                                       bool is_max);

}  // namespace mcunet
