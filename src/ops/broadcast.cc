#include "ops/broadcast.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "ops/in_place.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

std::vector<int32_t> Extend4(const std::vector<int32_t>& shape) {
  std::vector<int32_t> r(4 - shape.size(), 1);
  r.insert(r.end(), shape.begin(), shape.end());
  return r;
}

// Row-major strides of `in` read at output coordinates; 0 where `in` broadcasts.
void BroadcastStrides(const std::vector<int32_t>& in, int32_t* strides) {
  int32_t stride = 1;
  for (int i = 3; i >= 0; --i) {
    strides[i] = in[i] == 1 ? 0 : stride;
    stride *= in[i];
  }
}

}  // namespace

Expected<Broadcast4D> BroadcastInputs(const Graph& g, const Node& node) {
  const Tensor& a = In(g, node, 0);
  const Tensor& b = In(g, node, 1);
  if (a.shape.size() > 4 || b.shape.size() > 4) {
    return Status::Error(NodeLabel(node) + ": inputs of rank above 4 are not supported");
  }
  const std::vector<int32_t> a4 = Extend4(a.shape), b4 = Extend4(b.shape);
  Broadcast4D r{};
  for (int i = 0; i < 4; ++i) {
    if (a4[i] != b4[i] && a4[i] != 1 && b4[i] != 1) {
      return Status::Error(fmt::format("{}: shapes {} and {} do not broadcast", NodeLabel(node),
                                       a.ShapeString(), b.ShapeString()));
    }
    r.out_dims[i] = a4[i] == 1 ? b4[i] : a4[i];
  }
  const std::vector<int32_t> expected(r.out_dims + 4 - std::max(a.shape.size(), b.shape.size()),
                                      r.out_dims + 4);
  MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.outputs[0], expected, "output"));
  BroadcastStrides(a4, r.in1_strides);
  BroadcastStrides(b4, r.in2_strides);
  return r;
}

int64_t BroadcastInPlaceOffset(const int32_t out_dims[4], const int32_t in_strides[4]) {
  int32_t dense = 1;
  for (int d = 3; d >= 0; --d) {
    if (out_dims[d] > 1 && in_strides[d] != dense) return kNoInPlace;
    dense *= out_dims[d];
  }
  return 0;
}

}  // namespace mcunet
