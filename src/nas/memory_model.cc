#include "nas/memory_model.h"

#include "ir/passes.h"
#include "nas/arch_builder.h"
#include "ops/op.h"
#include "planner/memory_plan.h"

namespace mcunet {

Expected<ArchCost> MeasureArch(const ArchConfig& arch, const CostOptions& options) {
  ArchBuildOptions build;
  build.input_channels = options.input_channels;
  build.resolution = options.resolution;
  build.with_weights = false;
  MCUNET_ASSIGN_OR_RETURN(Graph graph, BuildArchGraph(arch, build));
  OptimizeGraph(graph);
  ArchCost cost;
  std::vector<std::unique_ptr<PreparedOp>> owned;
  std::vector<const PreparedOp*> ops;
  for (const Node& node : graph.nodes) {
    const OpDefinition& def = GetOpDefinition(node.kind);
    MCUNET_ASSIGN_OR_RETURN(auto op, def.prepare(graph, node));
    cost.macs += def.macs(graph, node);
    cost.flash_bytes += op->ParameterBytes();
    for (int t : node.inputs) {
      if (t >= 0 && graph.tensors[t].is_constant) cost.flash_bytes += graph.tensors[t].Bytes();
    }
    owned.push_back(std::move(op));
    ops.push_back(owned.back().get());
  }
  PlanOptions plan_options;
  plan_options.search_order = false;  // MBConv stacks have one order
  plan_options.placement_orders = 3;
  plan_options.with_reports = false;
  MCUNET_ASSIGN_OR_RETURN(MemoryPlan plan, PlanMemory(graph, ops, plan_options));
  cost.peak_sram_bytes = plan.arena_bytes();
  cost.flash_bytes += kCodeBytesEstimate;
  cost.params = ArchTrainingParams(arch);
  return cost;
}

}  // namespace mcunet
