// What TF Lite Micro's int8 LOGISTIC and TANH share (logistic_common.cc,
// tanh.cc): the offset input rescaled to Q4.27 through a multiplier from frexp
// of in_scale * 2^27, and a radius beyond which the output saturates to -128 /
// 127. Only the function of the Q4.27 value differs between the two.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "core/status.h"
#include "ir/graph.h"
#include "ops/op.h"

namespace mcunet {

// The table-lookup op (ops/lut_op.h) of `inside`, the int8 output for a Q4.27
// input inside the radius; refuses input scales TFLM's arithmetic cannot take.
Expected<std::unique_ptr<PreparedOp>> MakeSigmoidLutOp(
    const Graph& g, const Node& node, const std::function<int32_t(int32_t)>& inside);

}  // namespace mcunet
