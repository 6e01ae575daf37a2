#include "nas/memory_model.h"

#include "arch/arch_builder.h"
#include "compiler/compile.h"

namespace mcunet {

Expected<ArchCost> MeasureArch(const ArchConfig& arch, const CostOptions& options) {
  ArchBuildOptions build;
  build.input_channels = options.input_channels;
  build.resolution = options.resolution;
  build.with_weights = false;
  MCUNET_ASSIGN_OR_RETURN(Graph graph, BuildArchGraph(arch, build));
  CompileOptions compile;
  compile.plan.search_order = false;  // MBConv stacks have one order
  compile.plan.placement_orders = 3;
  compile.plan.with_reports = false;
  compile.flash_for_speed = false;  // as the search's firmware (nas/torch/export.cc)
  MCUNET_ASSIGN_OR_RETURN(CompiledModel model, Compile(std::move(graph), compile));
  ArchCost cost;
  cost.peak_sram_bytes = model.totals.peak_sram_bytes;
  cost.flash_bytes = model.totals.flash_bytes + kCodeBytesEstimate;
  cost.macs = model.totals.macs;
  cost.params = ArchTrainingParams(arch);
  return cost;
}

}  // namespace mcunet
