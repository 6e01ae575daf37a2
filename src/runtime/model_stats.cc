#include "runtime/model_stats.h"

#include <set>

namespace mcunet {

ModelStats ComputeModelStats(const Executor& executor) {
  const Graph& g = executor.graph();
  ModelStats stats;
  std::set<int> counted;  // a constant shared by two layers counts once in the totals
  for (size_t s = 0; s < g.nodes.size(); ++s) {
    const Node& node = g.nodes[s];
    LayerStats layer;
    layer.index = node.index;
    layer.op = OpKindName(node.kind);
    layer.macs = GetOpDefinition(node.kind).macs(g, node);
    layer.scratch_bytes = executor.ScratchBytes(s);
    for (int index : node.inputs) {
      if (index < 0) continue;
      const Tensor& t = g.tensors[index];
      if (t.is_constant) {
        layer.weight_bytes += t.Bytes();
        if (counted.insert(index).second) {
          // Parameters are quantised constants (weights, biases), not shape or axis operands.
          if (!t.quant.empty()) stats.params += t.NumElements();
          stats.weights_bytes += t.Bytes();
        }
      } else {
        layer.input_shapes.push_back(t.ShapeString());
        layer.activation_bytes += t.Bytes();
      }
    }
    for (int index : node.outputs) layer.activation_bytes += g.tensors[index].Bytes();
    layer.output_shape = g.tensors[node.outputs[0]].ShapeString();
    stats.macs += layer.macs;
    stats.layers.push_back(std::move(layer));
  }
  stats.peak_sram_bytes = executor.arena_bytes();
  return stats;
}

}  // namespace mcunet
