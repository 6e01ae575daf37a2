// Checks shared by the binary element-wise int8 operators (ADD, SUB, MUL, ...):
// two per-tensor int8 inputs and a per-tensor int8 output, broadcastable.
#pragma once

#include <algorithm>

#include "ir/graph.h"
#include "ops/broadcast.h"

namespace mcunet {

Expected<Broadcast4D> PrepareBinaryInt8(const Graph& g, const Node& node);
// The same with both inputs and the output of `type` (ADD's int16 variant).
Expected<Broadcast4D> PrepareBinary(const Graph& g, const Node& node, DataType type);

// Out dims and both strides copied into a kernel's parameters.
template <typename Params>
void CopyBroadcast(const Broadcast4D& b, Params* p) {
  std::copy(b.out_dims, b.out_dims + 4, p->out_dims);
  std::copy(b.in1_strides, b.in1_strides + 4, p->in1_strides);
  std::copy(b.in2_strides, b.in2_strides + 4, p->in2_strides);
}

// Out dims, strides and zero-point offsets (inputs negated, output as is): the
// fields ADD, SUB, MUL and SQUARED_DIFFERENCE parameters share.
template <typename Params>
Params BinaryParams(const Graph& g, const Node& node, const Broadcast4D& b) {
  Params p{};
  CopyBroadcast(b, &p);
  p.input1_offset = -g.tensors[node.inputs[0]].quant.zero_point();
  p.input2_offset = -g.tensors[node.inputs[1]].quant.zero_point();
  p.output_offset = g.tensors[node.outputs[0]].quant.zero_point();
  return p;
}

}  // namespace mcunet
