// Builds one-operator graphs for kernel tests and runs them through the real
// op definitions, planner and executor.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <vector>

#include "runtime/executor.h"

namespace mcunet::testing {

class SingleOpGraph {
 public:
  int AddTensor(DataType type, std::vector<int32_t> shape, std::vector<float> scales = {},
                std::vector<int64_t> zero_points = {}, int32_t quantized_dimension = 0) {
    Tensor t;
    t.name = "t" + std::to_string(graph_.tensors.size());
    t.type = type;
    t.shape = std::move(shape);
    t.quant.scales = std::move(scales);
    t.quant.zero_points = std::move(zero_points);
    t.quant.quantized_dimension = quantized_dimension;
    graph_.tensors.push_back(std::move(t));
    return static_cast<int>(graph_.tensors.size() - 1);
  }
  template <typename T>
  int AddConstant(DataType type, std::vector<int32_t> shape, const std::vector<T>& values,
                  std::vector<float> scales = {}, std::vector<int64_t> zero_points = {},
                  int32_t quantized_dimension = 0) {
    const int index = AddTensor(type, std::move(shape), std::move(scales), std::move(zero_points),
                                quantized_dimension);
    Tensor& t = graph_.tensors[index];
    t.is_constant = true;
    t.data.resize(values.size() * sizeof(T));
    std::memcpy(t.data.data(), values.data(), t.data.size());
    return index;
  }
  // A variable tensor (state): not a graph input; the op reads and updates it.
  int AddVariable(DataType type, std::vector<int32_t> shape, std::vector<float> scales = {},
                  std::vector<int64_t> zero_points = {}) {
    const int index = AddTensor(type, std::move(shape), std::move(scales), std::move(zero_points));
    graph_.tensors[index].is_variable = true;
    return index;
  }
  void SetNode(OpKind kind, std::vector<int> inputs, std::vector<int> outputs, Attributes attrs) {
    Node node;
    node.kind = kind;
    node.inputs = std::move(inputs);
    node.outputs = std::move(outputs);
    node.attrs = attrs;
    graph_.nodes = {node};
    graph_.inputs.clear();
    for (int i : graph_.nodes[0].inputs) {
      if (i >= 0 && !graph_.tensors[i].is_constant && !graph_.tensors[i].is_variable) {
        graph_.inputs.push_back(i);
      }
    }
    graph_.outputs = graph_.nodes[0].outputs;
  }
  Expected<std::unique_ptr<Executor>> Build(const PlanOptions& options = {}) const {
    return Executor::Create(graph_, options);
  }

  // Runs the op with its output placed `offset` bytes below input 0 in one
  // buffer (offset < 0: the op's own InPlaceOffset), as the planner may place
  // them; returns the output, or nothing when the op states no in-place rule.
  // `compact`: the op's compact kernel variant (PreparedOp::SetCompactScratch).
  std::optional<std::vector<uint8_t>> RunOverlapped(const std::vector<uint8_t>& input,
                                                    int64_t offset = -1,
                                                    bool compact = false) const {
    const Node& node = graph_.nodes[0];
    auto op = GetOpDefinition(node.kind).prepare(graph_, node);
    EXPECT_TRUE(op.ok()) << op.status().message();
    if (!op.ok()) return std::nullopt;
    (*op)->SetCompactScratch(compact);
    if (offset < 0) offset = (*op)->InPlaceOffset(0);
    if (offset == kNoInPlace) return std::nullopt;
    const int64_t out_bytes = graph_.tensors[node.outputs[0]].Bytes();
    std::vector<uint8_t> buffer(std::max<int64_t>(offset + input.size(), out_bytes) + 16, 0xA5);
    std::memcpy(buffer.data() + offset, input.data(), input.size());
    std::vector<uint8_t> scratch((*op)->ScratchBytes() + 4);
    OpBuffers b;
    for (int t : node.inputs) {
      b.inputs.push_back(t < 0                           ? nullptr
                         : graph_.tensors[t].is_constant ? graph_.tensors[t].data.data()
                                                         : buffer.data() + offset);
    }
    b.outputs.push_back(buffer.data());
    b.scratch = scratch.data();
    EXPECT_EQ((*op)->Run(b), 0);
    return std::vector<uint8_t>(buffer.begin(), buffer.begin() + out_bytes);
  }
  const Graph& graph() const { return graph_; }

  // Prepares, feeds `inputs` (one byte vector per graph input), runs, returns
  // every output.
  std::vector<std::vector<uint8_t>> RunOutputs(
      const std::vector<std::vector<uint8_t>>& inputs) const {
    auto ex = Build();
    EXPECT_TRUE(ex.ok()) << ex.status().message();
    if (!ex.ok()) return {};
    for (size_t i = 0; i < inputs.size(); ++i) {
      const Status s = (*ex)->SetInput(i, inputs[i]);
      EXPECT_TRUE(s.ok()) << s.message();
    }
    const Status s = (*ex)->Invoke();
    EXPECT_TRUE(s.ok()) << s.message();
    std::vector<std::vector<uint8_t>> outputs;
    for (size_t i = 0; i < graph_.outputs.size(); ++i) {
      auto out = (*ex)->Output(i);
      outputs.emplace_back(out.begin(), out.end());
    }
    return outputs;
  }
  // The same, output 0 only.
  std::vector<uint8_t> Run(const std::vector<std::vector<uint8_t>>& inputs) const {
    auto outputs = RunOutputs(inputs);
    return outputs.empty() ? std::vector<uint8_t>{} : outputs[0];
  }

 private:
  Graph graph_;
};

template <typename T>
std::vector<uint8_t> AsBytes(const std::vector<T>& v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

inline std::vector<int8_t> RandomInt8(std::mt19937& rng, size_t n, int lo = -128, int hi = 127) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(d(rng));
  return v;
}

}  // namespace mcunet::testing
