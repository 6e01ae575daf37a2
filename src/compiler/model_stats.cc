#include "compiler/model_stats.h"

#include <algorithm>

namespace mcunet {

ModelStats ComputeModelStats(const CompiledModel& model) {
  const Graph& g = model.graph;
  const MemoryPlan& mp = model.memory;
  const std::vector<int64_t> live = mp.LiveBytesPerStep(mp.plan);
  const std::vector<int64_t> baseline_live = mp.LiveBytesPerStep(mp.baseline);
  // Which tensor each planned buffer holds (-1: scratch), for the live lists.
  std::vector<int> buffer_tensor(mp.requests.size(), -1);
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (mp.request_of_tensor[t] >= 0) buffer_tensor[mp.request_of_tensor[t]] = static_cast<int>(t);
  }
  ModelStats stats;
  for (size_t s = 0; s < g.nodes.size(); ++s) {
    const Node& node = g.nodes[s];
    LayerStats layer;
    layer.index = node.index;
    layer.op = OpKindName(node.kind);
    layer.macs = GetOpDefinition(node.kind).macs(g, node);
    layer.scratch_bytes = model.op(s).ScratchBytes();
    for (int index : node.inputs) {
      if (index < 0) continue;
      const Tensor& t = g.tensors[index];
      if (t.is_constant) {
        layer.weight_bytes += t.Bytes();
      } else {
        layer.input_shapes.push_back(t.ShapeString());
        layer.activation_bytes += t.Bytes();
      }
    }
    for (int index : node.outputs) layer.activation_bytes += g.tensors[index].Bytes();
    layer.output_shape = g.tensors[node.outputs[0]].ShapeString();
    if (s < live.size()) layer.live_bytes = live[s], layer.baseline_live_bytes = baseline_live[s];
    for (size_t r = 0; r < mp.requests.size(); ++r) {
      const BufferRequest& req = mp.requests[r];
      if (req.first_step <= static_cast<int>(s) && static_cast<int>(s) <= req.last_step) {
        layer.live.push_back({buffer_tensor[r], req.size});
      }
    }
    stats.layers.push_back(std::move(layer));
  }
  stats.macs = model.totals.macs;
  stats.params = model.totals.params;
  stats.weights_bytes = model.totals.weights_bytes;
  stats.flash_bytes = model.totals.flash_bytes;
  stats.peak_sram_bytes = model.totals.peak_sram_bytes;
  stats.baseline_sram_bytes = mp.baseline.arena_bytes;
  stats.lower_bound_bytes = mp.lower_bound;
  for (size_t i = 0; i < stats.layers.size(); ++i) {
    if (stats.layers[i].live_bytes > stats.layers[stats.peak_layer].live_bytes) {
      stats.peak_layer = static_cast<int>(i);
    }
  }
  return stats;
}

}  // namespace mcunet
