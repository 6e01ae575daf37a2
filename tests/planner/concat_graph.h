// A graph for concatenation views: two convolutions of one input (1x1 and 3x3,
// int8) concatenated along axis 1 of NHWC, where the batch before it is 1, so
// each result is one contiguous slice of the output; or along axis 3 (the
// channels), where each is a strided slice.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <utility>

#include "compiler/compile.h"
#include "ir/graph.h"
#include "kernels/single_op.h"

namespace mcunet::testing {

inline Graph ConvConcatGraph(int channels = 16, int axis = 1) {
  std::mt19937 rng(22);
  SingleOpGraph g;
  const int x = g.AddTensor(DataType::kInt8, {1, 8, 8, 4}, {0.05f}, {-3});
  std::vector<int> outs;
  std::vector<Node> nodes;
  for (int k : {1, 3}) {
    const int w = g.AddConstant(
        DataType::kInt8, {channels, k, k, 4},
        RandomInt8(rng, static_cast<size_t>(channels) * k * k * 4, -127, 127), {0.01f}, {0}, 0);
    const int b =
        g.AddConstant(DataType::kInt32, {channels},
                      std::vector<int32_t>(static_cast<size_t>(channels), 100), {5e-4f}, {0});
    const int y = g.AddTensor(DataType::kInt8, {1, 8, 8, channels}, {0.1f}, {2});
    ConvAttrs a;
    a.padding = Padding::kSame;
    nodes.push_back(Node{OpKind::kConv2D, static_cast<int>(nodes.size()), {x, w, b}, {y}, a});
    outs.push_back(y);
  }
  const int out = g.AddTensor(DataType::kInt8,
                              axis == 1 ? std::vector<int32_t>{1, 16, 8, channels}
                                        : std::vector<int32_t>{1, 8, 8, 2 * channels},
                              {0.1f}, {2});
  ConcatAttrs c;
  c.axis = axis;
  nodes.push_back(Node{OpKind::kConcatenation, 2, outs, {out}, c});
  Graph graph = g.graph();
  graph.nodes = std::move(nodes);
  graph.inputs = {x};
  graph.outputs = {out};
  return graph;
}

// ConvConcatGraph compiled with concatenation views on or off.
inline CompiledModel CompileConvConcat(bool views, int axis = 1) {
  CompileOptions o;
  o.plan.views = views;
  auto m = Compile(ConvConcatGraph(16, axis), o);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return std::move(*m);
}

}  // namespace mcunet::testing
