// Constant folding on the reshape Keras writes with a run-time shape:
// SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE becomes one static RESHAPE.
#include "compiler/fold_constants.h"

#include <gtest/gtest.h>

#include "compiler/compile.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

// x [2, 3, 4] int8 -> reshape to [batch, -1] with batch read from x's shape.
Graph KerasFlatten() {
  SingleOpGraph g;
  const int x = g.AddTensor(DataType::kInt8, {2, 3, 4}, {0.1f}, {0});
  const int shape = g.AddTensor(DataType::kInt32, {3});
  const int b = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{0});
  const int e = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{1});
  const int s = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{1});
  const int batch = g.AddTensor(DataType::kInt32, {});
  const int minus_one = g.AddConstant(DataType::kInt32, {}, std::vector<int32_t>{-1});
  const int new_shape = g.AddTensor(DataType::kInt32, {2});
  const int y = g.AddTensor(DataType::kInt8, {2, 12}, {0.1f}, {0});
  Graph graph = g.graph();
  StridedSliceAttrs shrink;
  shrink.shrink_axis_mask = 1;
  PackAttrs pack;
  pack.axis = 0, pack.count = 2;
  graph.nodes = {Node{OpKind::kShape, 0, {x}, {shape}, {}},
                 Node{OpKind::kStridedSlice, 1, {shape, b, e, s}, {batch}, shrink},
                 Node{OpKind::kPack, 2, {batch, minus_one}, {new_shape}, pack},
                 Node{OpKind::kReshape, 3, {x, new_shape}, {y}, {}}};
  graph.inputs = {x};
  graph.outputs = {y};
  return graph;
}

TEST(FoldConstants, KerasRunTimeReshapeBecomesStatic) {
  Graph graph = KerasFlatten();
  auto folded = FoldConstants(graph);
  ASSERT_TRUE(folded.ok()) << folded.status().message();
  EXPECT_EQ(*folded, 3);
  ASSERT_EQ(graph.nodes.size(), 1u);
  EXPECT_EQ(graph.nodes[0].kind, OpKind::kReshape);
  const Tensor& new_shape = graph.tensors[graph.nodes[0].inputs[1]];
  ASSERT_TRUE(new_shape.is_constant);
  EXPECT_EQ(new_shape.DataAs<int32_t>()[0], 2);
  EXPECT_EQ(new_shape.DataAs<int32_t>()[1], -1);
  // Compiled (folding included), only the reshape's bytes are planned: its
  // output aliases its input, and no int32 tensor has arena bytes.
  auto model = Compile(KerasFlatten());
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->graph.nodes.size(), 1u);
  EXPECT_LE(model->arena_bytes(), 32);  // 24 bytes, aligned to 16
  for (size_t t = 0; t < model->graph.tensors.size(); ++t) {
    if (model->graph.tensors[t].type == DataType::kInt32) {
      EXPECT_EQ(model->TensorOffset(static_cast<int>(t)), -1) << t;
    }
  }
}

// A graph output stays computed at run time (the caller reads its buffer), and
// so does everything that reads it.
TEST(FoldConstants, KeepsNodesWhoseOutputIsAGraphOutput) {
  Graph graph = KerasFlatten();
  graph.outputs.push_back(graph.nodes[0].outputs[0]);  // SHAPE's result, read by the user
  auto folded = FoldConstants(graph);
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(*folded, 0);
  EXPECT_EQ(graph.nodes.size(), 4u);
}

}  // namespace
}  // namespace mcunet::testing
