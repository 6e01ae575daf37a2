// What MEAN, SUM and REDUCE_MAX share: the reduced axes of an int8 input of
// rank <= 4, and (MEAN, SUM) TF Lite Micro's QuantizedMeanOrSum.
#pragma once

#include <memory>

#include "ops/op.h"

namespace mcunet {

struct ReduceAxes {
  int32_t in_dims[4];  // the input's shape, left-padded with 1
  int32_t reduce[4];   // 1 where the axis is reduced
  int64_t count;       // input elements per output
};

// Input 0 int8 of rank 1..4, input 1 a constant int32 axis list (negative axes
// count from the end; repeats are ignored), output int8 of the input's shape
// without (keep_dims: with 1 for) the reduced axes.
Expected<ReduceAxes> PrepareReduceAxes(const Graph& g, const Node& node);

// MEAN (sum = false) or SUM: the sums less count x input zero point,
// requantised by in/out scale (MEAN: with 1 / count folded in).
Expected<std::unique_ptr<PreparedOp>> PrepareMeanOrSum(const Graph& g, const Node& node, bool sum);

}  // namespace mcunet
