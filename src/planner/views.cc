#include "planner/views.h"

#include <algorithm>

namespace mcunet {

int MarkViews(const Graph& g, const std::vector<const PreparedOp*>& ops,
              const std::vector<size_t>& order, const std::vector<bool>& is_output,
              const std::vector<int>& request_of_tensor, int64_t alignment,
              std::vector<BufferRequest>& requests) {
  const size_t steps = g.nodes.size();
  const auto node_at = [&](size_t step) { return order.empty() ? step : order[step]; };
  std::vector<int> readers(g.tensors.size(), 0);
  for (const Node& node : g.nodes) {
    for (int t : node.inputs) {
      if (t >= 0) ++readers[t];
    }
  }
  std::vector<int> producer(g.tensors.size(), -1);  // node writing the tensor as output 0
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    if (!g.nodes[n].outputs.empty() && g.nodes[n].outputs[0] >= 0) {
      producer[g.nodes[n].outputs[0]] = static_cast<int>(n);
    }
  }
  std::vector<bool> is_graph_input(g.tensors.size(), false);
  for (int t : g.inputs) is_graph_input[t] = true;
  std::vector<bool> is_parent(requests.size(), false);
  int views = 0;
  for (size_t s = 0; s < steps; ++s) {
    const Node& node = g.nodes[node_at(s)];
    const PreparedOp& op = *ops[node_at(s)];
    if (node.outputs.empty()) continue;
    const int parent = request_of_tensor[node.outputs[0]];
    if (parent < 0 || requests[parent].view_of >= 0) continue;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const int t = node.inputs[i];
      const int64_t offset = op.ViewOffset(i);
      // A strided view's rows lie at any byte (its producer stores bytes).
      if (t < 0 || offset < 0 || (op.ViewStride(i) == 0 && offset % alignment != 0)) continue;
      const Tensor& tensor = g.tensors[t];
      if (tensor.is_constant || tensor.is_variable || is_graph_input[t] || is_output[t] ||
          readers[t] != 1) {
        continue;
      }
      const int r = request_of_tensor[t];
      if (r < 0 || r == parent || is_parent[r] || requests[r].view_of >= 0 ||
          requests[r].persistent) {
        continue;
      }
      // A strided slice: its producer writes rows that far apart, and its rows
      // (last axis) are the slice's chunks, one per output row (so not, say, a
      // concatenation along the width, whose chunks hold whole rows of pixels).
      const int64_t stride = op.ViewStride(i);
      const int64_t row =
          tensor.shape.empty()
              ? 0
              : tensor.shape.back() * static_cast<int64_t>(DataTypeSize(tensor.type));
      if (stride > 0 && (producer[t] < 0 || !ops[producer[t]]->WritesStridedOutput() || row <= 0 ||
                         offset + row > stride || requests[r].size % row != 0 ||
                         requests[r].size / row * stride != requests[parent].size)) {
        continue;
      }
      requests[r].view_of = parent;
      requests[r].view_offset = offset;
      requests[r].view_stride = stride;
      requests[r].view_row = stride > 0 ? row : 0;
      requests[parent].first_step = std::min(requests[parent].first_step, requests[r].first_step);
      is_parent[parent] = true;
      ++views;
    }
  }
  if (views == 0) return 0;
  for (BufferRequest& r : requests) {
    const bool view_side = r.view_of >= 0 || is_parent[&r - requests.data()];
    if (view_side || (r.overlaps >= 0 && requests[r.overlaps].view_of >= 0)) {
      r.overlaps = -1;
      r.overlap_offset = 0;
    }
  }
  return views;
}

std::vector<BufferRequest> ViewsAsEmpty(std::vector<BufferRequest> requests) {
  for (BufferRequest& r : requests) {
    if (r.view_of < 0) continue;
    r.view_of = -1;
    r.size = 0;
    r.view_stride = r.view_row = 0;
  }
  return requests;
}

std::vector<BufferRequest> WithoutViews(std::vector<BufferRequest> requests) {
  std::vector<int> born(requests.size(), -1);  // where a parent's copy would run
  for (const BufferRequest& r : requests) {
    if (r.view_of >= 0) born[r.view_of] = std::max(born[r.view_of], r.last_step);
  }
  for (size_t i = 0; i < requests.size(); ++i) {
    requests[i].view_of = -1;
    requests[i].view_stride = requests[i].view_row = 0;
    if (born[i] >= 0) requests[i].first_step = born[i];
  }
  return requests;
}

ArenaPlan PlanWithViews(
    const std::vector<BufferRequest>& requests,
    const std::function<ArenaPlan(const std::vector<BufferRequest>&)>& planner) {
  if (std::none_of(requests.begin(), requests.end(),
                   [](const BufferRequest& r) { return r.view_of >= 0; })) {
    return planner(requests);
  }
  ArenaPlan plan = planner(ViewsAsEmpty(requests));
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].view_of >= 0) {
      plan.offsets[i] = plan.offsets[requests[i].view_of] + requests[i].view_offset;
    }
  }
  return plan;
}

}  // namespace mcunet
