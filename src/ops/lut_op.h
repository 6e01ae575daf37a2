// Element-wise int8 -> int8 operators as one table lookup (kernels/lut_s8.c).
// An op file gives the function of one input value, written with TF Lite
// Micro's own arithmetic; the host evaluates it for all 256 values at prepare
// time, so the firmware's result is TFLM's by construction and costs one load
// per element (and 256 bytes of Flash per layer).
#pragma once

#include <functional>
#include <memory>

#include "ir/graph.h"
#include "ops/op.h"

namespace mcunet {

// One int8 per-tensor input and one int8 per-tensor output of the same shape.
Status ExpectUnaryInt8(const Graph& g, const Node& node);

// The prepared op for `f`: input value (-128..127) -> output value, clamped here
// to int8.
std::unique_ptr<PreparedOp> MakeLutOp(const Graph& g, const Node& node,
                                      const std::function<int32_t(int32_t)>& f);

}  // namespace mcunet
