#include "runtime/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace mcunet {

Expected<std::unique_ptr<Executor>> Executor::Create(CompiledModel model) {
  return Create(std::make_shared<const CompiledModel>(std::move(model)));
}

Expected<std::unique_ptr<Executor>> Executor::Create(std::shared_ptr<const CompiledModel> model) {
  std::unique_ptr<Executor> ex(new Executor(std::move(model)));
  const CompiledModel& m = *ex->model_;
  ex->arena_.reset(new uint8_t[std::max<int64_t>(m.arena_bytes(), 1)]());
  // Bind every node's buffers once, so Invoke allocates nothing.
  for (size_t s = 0; s < m.graph.nodes.size(); ++s) {
    const Node& node = m.graph.nodes[s];
    OpBuffers b;
    for (int index : node.inputs) b.inputs.push_back(index < 0 ? nullptr : ex->TensorStart(index));
    for (int index : node.outputs) b.outputs.push_back(ex->arena_.get() + m.TensorOffset(index));
    if (!node.outputs.empty()) b.output_stride = m.memory.RowStride(node.outputs[0]);
    if (m.memory.scratch_request[s] >= 0) {
      b.scratch = ex->arena_.get() + m.memory.plan.offsets[m.memory.scratch_request[s]];
    }
    ex->bindings_.push_back(std::move(b));
  }
  ex->Reset();
  return ex;
}

Expected<std::unique_ptr<Executor>> Executor::Create(Graph graph, const PlanOptions& options) {
  CompileOptions compile;
  compile.optimize = false;
  compile.plan = options;
  MCUNET_ASSIGN_OR_RETURN(CompiledModel model, Compile(std::move(graph), compile));
  return Create(std::move(model));
}

void Executor::Reset() {
  const Graph& g = model_->graph;
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    const int64_t offset = model_->TensorOffset(static_cast<int>(i));
    if (!t.is_variable || offset < 0) continue;
    const int fill = t.type == DataType::kInt8 ? t.quant.zero_point() : 0;
    std::memset(arena_.get() + offset, fill, static_cast<size_t>(t.Bytes()));
  }
}

const uint8_t* Executor::TensorStart(int tensor) const {
  const Tensor& t = model_->graph.tensors[tensor];
  if (t.is_constant) return t.data.data();
  const int64_t offset = model_->TensorOffset(tensor);
  return offset < 0 ? nullptr : arena_.get() + offset;
}

std::span<const uint8_t> Executor::TensorBytes(int tensor) const {
  const Tensor& t = model_->graph.tensors[tensor];
  const uint8_t* start = TensorStart(tensor);
  if (start == nullptr || model_->memory.RowStride(tensor) != 0) return {};
  return {start, t.is_constant ? t.data.size() : static_cast<size_t>(t.Bytes())};
}

Status Executor::SetInput(size_t i, std::span<const uint8_t> bytes) {
  const Graph& g = model_->graph;
  if (i >= g.inputs.size()) {
    return Status::Error(
        fmt::format("input {} does not exist; the model has {} inputs", i, g.inputs.size()));
  }
  const int index = g.inputs[i];
  const Tensor& t = g.tensors[index];
  if (static_cast<int64_t>(bytes.size()) != t.Bytes()) {
    return Status::Error(fmt::format("input {} ({}) needs {} bytes ({} {}), got {}", i,
                                     TensorLabel(g, index), t.Bytes(), t.ShapeString(),
                                     DataTypeName(t.type), bytes.size()));
  }
  std::memcpy(arena_.get() + model_->TensorOffset(index), bytes.data(), bytes.size());
  return OkStatus();
}

Status Executor::Invoke(const std::function<Status(size_t node)>& after_node) {
  for (size_t s = 0; s < model_->ops.size(); ++s) {
    const int rc = model_->ops[s]->Run(bindings_[s]);
    if (rc != 0) {
      return Status::Error(
          fmt::format("{}: kernel failed with status {}", NodeLabel(model_->graph.nodes[s]), rc));
    }
    if (after_node) MCUNET_RETURN_IF_ERROR(after_node(s));
  }
  return OkStatus();
}

}  // namespace mcunet
