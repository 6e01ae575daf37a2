// Checks and helpers shared by the op definitions.
#pragma once

#include <string>

#include "core/status.h"
#include "ir/graph.h"
#include "ir/padding.h"

namespace mcunet {

// Node has between min and max inputs (omitted optional inputs count) and `outputs` outputs.
Status ExpectArity(const Node& node, size_t min_inputs, size_t max_inputs, size_t outputs);
// Input i exists (not omitted) and has the type and (if rank >= 0) rank given.
Status ExpectInput(const Graph& g, const Node& node, size_t i, DataType type, int rank = -1);
Status ExpectOutput(const Graph& g, const Node& node, size_t i, DataType type, int rank = -1);
// Constant input (weights, bias, axes, paddings).
Status ExpectConstant(const Graph& g, const Node& node, size_t i);
// Per-tensor quantisation present (one scale).
Status ExpectPerTensorQuant(const Graph& g, const Node& node, int tensor, const char* role);
// Input 0 and output 0 (both per tensor) share scale and zero point: the op moves
// or compares raw int8 values, so any other output quantisation would be wrong.
Status ExpectSameQuant(const Graph& g, const Node& node);
// Output shape must equal the shape the op infers.
Status ExpectShape(const Graph& g, const Node& node, int tensor, const std::vector<int32_t>& shape,
                   const char* role);

const Tensor& In(const Graph& g, const Node& node, size_t i);
const Tensor& Out(const Graph& g, const Node& node, size_t i = 0);

// Window geometry within what int32 kernel index arithmetic handles: sizes,
// strides and dilations in 1..65536 and a dilated window of at most 2^20.
Status CheckWindow(const Node& node, int32_t k_h, int32_t k_w, int32_t stride_h, int32_t stride_w,
                   int32_t dilation_h, int32_t dilation_w);

std::string ShapeToString(const std::vector<int32_t>& shape);

// Kernels accumulate (x - zero_point) * w + bias in int32, where overflow would be
// undefined behaviour. `abs_weight_sums[c]` is sum |w| feeding output channel c;
// with |x - zero_point| <= 255 this proves every accumulator fits, or says which does not.
Status CheckAccumulatorFits(const Graph& g, const Node& node,
                            const std::vector<int64_t>& abs_weight_sums);
// The same for the 16x8 kernels: int16 activations (zero point 0, so |x| <=
// 32768) and an int64 bias (input `bias_input`, optional) summed in int64, which
// TFLite's int64 requantisation takes only below 2^47 in magnitude.
Status CheckAccumulatorFits16x8(const Graph& g, const Node& node,
                                const std::vector<int64_t>& abs_weight_sums, int bias_input = 2);

}  // namespace mcunet
