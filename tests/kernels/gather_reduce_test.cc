// GATHER, ARG_MAX / ARG_MIN, REDUCE_MAX, SUM, DEPTH_TO_SPACE and SPACE_TO_DEPTH against
// hand-derived outputs and their refusals. Their bytes against TF Lite Micro's are in
// tests/golden_ops.
#include <gtest/gtest.h>

#include <numeric>

#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

std::vector<int8_t> Iota(int n) {
  std::vector<int8_t> v(n);
  std::iota(v.begin(), v.end(), int8_t{0});
  return v;
}

template <typename T>
std::vector<T> From(const std::vector<uint8_t>& bytes) {
  std::vector<T> v(bytes.size() / sizeof(T));
  std::memcpy(v.data(), bytes.data(), bytes.size());
  return v;
}

std::vector<int8_t> BlockRearrange(OpKind kind, std::vector<int32_t> in_shape,
                                   std::vector<int32_t> out_shape, int32_t block,
                                   const std::vector<int8_t>& values) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, in_shape, {0.1f}, {0});
  const int out = g.AddTensor(DataType::kInt8, out_shape, {0.1f}, {0});
  g.SetNode(kind, {in}, {out}, BlockSizeAttrs{block});
  return From<int8_t>(g.Run({AsBytes(values)}));
}

TEST(DepthToSpace, PutsChannelBlocksOnPixelsInDcrOrder) {
  // Two input pixels of 8 channels, block 2: channel (by * 2 + bx) * 2 + c goes to
  // row by, column 2 * w + bx, channel c.
  const std::vector<int8_t> expected = {0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15};
  EXPECT_EQ(BlockRearrange(OpKind::kDepthToSpace, {1, 1, 2, 8}, {1, 2, 4, 2}, 2, Iota(16)),
            expected);
  // SPACE_TO_DEPTH is its inverse.
  EXPECT_EQ(BlockRearrange(OpKind::kSpaceToDepth, {1, 2, 4, 2}, {1, 1, 2, 8}, 2, expected),
            Iota(16));
}

TEST(DepthToSpace, RefusesChannelsNotAMultipleOfTheBlock) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {1, 2, 2, 6}, {0.1f}, {0});
  const int out = g.AddTensor(DataType::kInt8, {1, 4, 4, 1}, {0.1f}, {0});
  g.SetNode(OpKind::kDepthToSpace, {in}, {out}, BlockSizeAttrs{2});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("6 channels"), std::string::npos) << ex.status().message();
  g.SetNode(OpKind::kSpaceToDepth, {in}, {out}, BlockSizeAttrs{0});
  ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("block_size 0"), std::string::npos) << ex.status().message();
}

// Params 0..n-1 of `shape` gathered by `indices` (constant or, with runtime, a graph input).
std::vector<int8_t> Gather(std::vector<int32_t> shape, std::vector<int32_t> index_shape,
                           std::vector<int32_t> indices, std::vector<int32_t> out_shape,
                           GatherAttrs attrs) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, shape, {0.1f}, {0});
  const int idx = g.AddConstant(DataType::kInt32, index_shape, indices);
  const int out = g.AddTensor(DataType::kInt8, out_shape, {0.1f}, {0});
  g.SetNode(OpKind::kGather, {in, idx}, {out}, attrs);
  const int n = std::accumulate(shape.begin(), shape.end(), 1, std::multiplies<int>());
  return From<int8_t>(g.Run({AsBytes(Iota(n))}));
}

TEST(Gather, PicksRowsAlongAnyAxisWithBatchDims) {
  // [3, 2] = {{0, 1}, {2, 3}, {4, 5}}.
  EXPECT_EQ(Gather({3, 2}, {3}, {2, 0, 2}, {3, 2}, {}), (std::vector<int8_t>{4, 5, 0, 1, 4, 5}));
  EXPECT_EQ(Gather({3, 2}, {1}, {1}, {3, 1}, GatherAttrs{-1, 0}), (std::vector<int8_t>{1, 3, 5}));
  // 2-D indices along axis 0: output [2, 2, 2].
  EXPECT_EQ(Gather({3, 2}, {2, 2}, {0, 1, 2, 0}, {2, 2, 2}, {}),
            (std::vector<int8_t>{0, 1, 2, 3, 4, 5, 0, 1}));
  // batch_dims 1: row b of the indices picks within row b of [2, 3] = {{0,1,2},{3,4,5}}.
  EXPECT_EQ(Gather({2, 3}, {2, 2}, {2, 0, 1, 1}, {2, 2}, GatherAttrs{1, 1}),
            (std::vector<int8_t>{2, 0, 4, 4}));
}

TEST(Gather, RefusesAConstantIndexOutsideTheAxis) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {3, 2}, {0.1f}, {0});
  const int idx = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{0, 3});
  const int out = g.AddTensor(DataType::kInt8, {2, 2}, {0.1f}, {0});
  g.SetNode(OpKind::kGather, {in, idx}, {out}, GatherAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("index 3 (element 1"), std::string::npos)
      << ex.status().message();
}

TEST(Gather, ARuntimeIndexOutsideTheAxisFailsTheInvoke) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {3, 2}, {0.1f}, {0});
  const int idx = g.AddTensor(DataType::kInt32, {2});
  const int out = g.AddTensor(DataType::kInt8, {2, 2}, {0.1f}, {0});
  g.SetNode(OpKind::kGather, {in, idx}, {out}, GatherAttrs{});
  auto ex = g.Build();
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  ASSERT_TRUE((*ex)->SetInput(0, AsBytes(Iota(6))).ok());
  ASSERT_TRUE((*ex)->SetInput(1, AsBytes(std::vector<int32_t>{2, 1})).ok());
  ASSERT_TRUE((*ex)->Invoke().ok());
  const auto good = (*ex)->Output(0);
  EXPECT_EQ(std::vector<uint8_t>(good.begin(), good.end()), (std::vector<uint8_t>{4, 5, 2, 3}));
  ASSERT_TRUE((*ex)->SetInput(1, AsBytes(std::vector<int32_t>{1, -1})).ok());
  EXPECT_FALSE((*ex)->Invoke().ok());
}

TEST(ArgMinMax, TiesKeepTheLowestIndex) {
  for (const auto& [kind, out_type, expected] :
       {std::tuple{OpKind::kArgMax, DataType::kInt32, std::vector<int64_t>{1, 0}},
        std::tuple{OpKind::kArgMin, DataType::kInt64, std::vector<int64_t>{3, 1}}}) {
    SingleOpGraph g;
    // Rows {3, 7, 7, -1} and {5, -2, 5, -2}, reduced along axis -1.
    const int in = g.AddTensor(DataType::kInt8, {2, 4}, {0.1f}, {0});
    const int axis = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{-1});
    const int out = g.AddTensor(out_type, {2});
    g.SetNode(kind, {in, axis}, {out}, {});
    const auto bytes = g.Run({AsBytes(std::vector<int8_t>{3, 7, 7, -1, 5, -2, 5, -2})});
    std::vector<int64_t> got;
    if (out_type == DataType::kInt32) {
      for (int32_t v : From<int32_t>(bytes)) got.push_back(v);
    } else {
      got = From<int64_t>(bytes);
    }
    EXPECT_EQ(got, expected) << GetOpDefinition(kind).name;
  }
}

TEST(ReduceMax, TakesRawMaximaAndRefusesUnequalQuantisation) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {2, 3}, {0.1f}, {4});
  const int axis = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{0});
  const int out = g.AddTensor(DataType::kInt8, {1, 3}, {0.1f}, {4});
  g.SetNode(OpKind::kReduceMax, {in, axis}, {out}, ReducerAttrs{true});
  EXPECT_EQ(From<int8_t>(g.Run({AsBytes(std::vector<int8_t>{-128, 5, -7, -128, 9, -8})})),
            (std::vector<int8_t>{-128, 9, -7}));
  const int other = g.AddTensor(DataType::kInt8, {1, 3}, {0.2f}, {4});
  g.SetNode(OpKind::kReduceMax, {in, axis}, {other}, ReducerAttrs{true});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("keeps raw values"), std::string::npos)
      << ex.status().message();
}

TEST(Sum, RemovesTheZeroPointOncePerOutputAndRequantises) {
  // Input scale 0.5, zero point 2; output scale 1, zero point -3. Row {4, 6, 2}: real
  // 1 + 2 + 0 = 3 -> 0; row {10, 0, 3}: real 4 - 1 + 0.5 = 3.5 -> round half away = 4 -> 1.
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {2, 3}, {0.5f}, {2});
  const int axis = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{1});
  const int out = g.AddTensor(DataType::kInt8, {2}, {1.0f}, {-3});
  g.SetNode(OpKind::kSum, {in, axis}, {out}, ReducerAttrs{false});
  EXPECT_EQ(From<int8_t>(g.Run({AsBytes(std::vector<int8_t>{4, 6, 2, 10, 0, 3})})),
            (std::vector<int8_t>{0, 1}));
}

}  // namespace
}  // namespace mcunet::testing
