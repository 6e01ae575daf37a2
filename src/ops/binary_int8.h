// Checks shared by the binary element-wise int8 operators (ADD, SUB, MUL, ...):
// two per-tensor int8 inputs and a per-tensor int8 output, broadcastable.
#pragma once

#include <algorithm>

#include "ir/graph.h"
#include "ops/broadcast.h"

namespace mcunet {

Expected<Broadcast4D> PrepareBinaryInt8(const Graph& g, const Node& node);

// Out dims and both strides copied into a kernel's parameters.
template <typename Params>
void CopyBroadcast(const Broadcast4D& b, Params* p) {
  std::copy(b.out_dims, b.out_dims + 4, p->out_dims);
  std::copy(b.in1_strides, b.in1_strides + 4, p->in1_strides);
  std::copy(b.in2_strides, b.in2_strides + 4, p->in2_strides);
}

}  // namespace mcunet
