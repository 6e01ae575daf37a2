// STRIDED_SLICE, SLICE, SPLIT, SPLIT_V, UNPACK, PACK, SHAPE and EXPAND_DIMS against hand-derived
// outputs. Their bytes against TF Lite Micro's are in tests/golden_ops.
#include <gtest/gtest.h>

#include <numeric>

#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

// Input 0..n-1 of `shape` (int8) sliced by begin / end / strides and masks.
std::vector<int8_t> Slice(const std::vector<int32_t>& shape, std::vector<int32_t> begin,
                          std::vector<int32_t> end, std::vector<int32_t> strides,
                          std::vector<int32_t> out_shape, StridedSliceAttrs attrs) {
  SingleOpGraph g;
  const int rank = static_cast<int>(shape.size());
  const int in = g.AddTensor(DataType::kInt8, shape, {0.1f}, {0});
  const int b = g.AddConstant(DataType::kInt32, {rank}, begin);
  const int e = g.AddConstant(DataType::kInt32, {rank}, end);
  const int s = g.AddConstant(DataType::kInt32, {rank}, strides);
  const int out = g.AddTensor(DataType::kInt8, out_shape, {0.1f}, {0});
  g.SetNode(OpKind::kStridedSlice, {in, b, e, s}, {out}, attrs);
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  std::vector<int8_t> values(n);
  std::iota(values.begin(), values.end(), int8_t{0});
  const auto bytes = g.Run({AsBytes(values)});
  return std::vector<int8_t>(bytes.begin(), bytes.end());
}

TEST(StridedSlice, ResolvesNegativeIndicesMasksAndStrides) {
  // [4, 5] rows 1..2, columns 4, 2, 0 (negative stride from -1).
  EXPECT_EQ(Slice({4, 5}, {1, -1}, {3, -6}, {1, -2}, {2, 3}, {}),
            (std::vector<int8_t>{9, 7, 5, 14, 12, 10}));
  // begin_mask on axis 0 and end_mask on axis 1: rows 0..1, columns 3..4.
  StridedSliceAttrs masks;
  masks.begin_mask = 1, masks.end_mask = 2;
  EXPECT_EQ(Slice({4, 5}, {3, 3}, {2, 0}, {1, 1}, {2, 2}, masks),
            (std::vector<int8_t>{3, 4, 8, 9}));
  // shrink_axis_mask on axis 0 with a negative index: row -2 = 2, as a vector.
  StridedSliceAttrs shrink;
  shrink.shrink_axis_mask = 1;
  EXPECT_EQ(Slice({4, 5}, {-2, 0}, {0, 5}, {1, 2}, {3}, shrink), (std::vector<int8_t>{10, 12, 14}));
}

TEST(StridedSlice, RefusesWhatTfliteMicroIgnores) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {4}, {0.1f}, {0});
  const int b = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{0});
  const int e = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{4});
  const int s = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{1});
  const int out = g.AddTensor(DataType::kInt8, {4}, {0.1f}, {0});
  StridedSliceAttrs a;
  a.ellipsis_mask = 1;
  g.SetNode(OpKind::kStridedSlice, {in, b, e, s}, {out}, a);
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("ellipsis_mask 1"), std::string::npos)
      << ex.status().message();
}

TEST(Pack, StacksAlongANewAxis) {
  for (const auto& [axis, expected] : {std::pair{0, std::vector<int32_t>{1, 2, 3, 10, 20, 30}},
                                       std::pair{1, std::vector<int32_t>{1, 10, 2, 20, 3, 30}},
                                       std::pair{-1, std::vector<int32_t>{1, 10, 2, 20, 3, 30}}}) {
    SingleOpGraph g;
    const int a = g.AddTensor(DataType::kInt32, {3});
    const int b = g.AddConstant(DataType::kInt32, {3}, std::vector<int32_t>{10, 20, 30});
    const int out = g.AddTensor(
        DataType::kInt32, axis == 0 ? std::vector<int32_t>{2, 3} : std::vector<int32_t>{3, 2});
    PackAttrs attrs;
    attrs.axis = axis, attrs.count = 2;
    g.SetNode(OpKind::kPack, {a, b}, {out}, attrs);
    EXPECT_EQ(g.Run({AsBytes(std::vector<int32_t>{1, 2, 3})}), AsBytes(expected)) << axis;
  }
}

TEST(Shape, GivesTheStaticShapeInEitherIntegerType) {
  for (DataType type : {DataType::kInt32, DataType::kInt64}) {
    SingleOpGraph g;
    const int in = g.AddTensor(DataType::kInt8, {2, 5, 13}, {0.1f}, {0});
    const int out = g.AddTensor(type, {3});
    g.SetNode(OpKind::kShape, {in}, {out}, {});
    const auto got = g.Run({std::vector<uint8_t>(130)});
    EXPECT_EQ(got, type == DataType::kInt32 ? AsBytes(std::vector<int32_t>{2, 5, 13})
                                            : AsBytes(std::vector<int64_t>{2, 5, 13}));
  }
}

TEST(ExpandDims, InsertsADimensionAndAliasesItsInput) {
  for (const auto& [axis, out_shape] :
       {std::pair{0, std::vector<int32_t>{1, 5, 7}}, std::pair{-1, std::vector<int32_t>{5, 7, 1}},
        std::pair{1, std::vector<int32_t>{5, 1, 7}}}) {
    SingleOpGraph g;
    const int in = g.AddTensor(DataType::kInt8, {5, 7}, {0.1f}, {0});
    const int a = g.AddConstant(DataType::kInt32, {}, std::vector<int32_t>{axis});
    const int out = g.AddTensor(DataType::kInt8, out_shape, {0.1f}, {0});
    g.SetNode(OpKind::kExpandDims, {in, a}, {out}, {});
    std::mt19937 rng(1);
    const auto x = AsBytes(RandomInt8(rng, 35));
    EXPECT_EQ(g.Run({x}), x) << axis;
    EXPECT_EQ(*g.RunOverlapped(x), x);
  }
  SingleOpGraph bad;
  const int in = bad.AddTensor(DataType::kInt8, {5, 7}, {0.1f}, {0});
  const int a = bad.AddConstant(DataType::kInt32, {}, std::vector<int32_t>{1});
  const int out = bad.AddTensor(DataType::kInt8, {1, 5, 7}, {0.1f}, {0});
  bad.SetNode(OpKind::kExpandDims, {in, a}, {out}, {});
  auto ex = bad.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("EXPAND_DIMS"), std::string::npos) << ex.status().message();
}

// SPLIT's data is its operand 1; SPLIT_V takes one -1 size; UNPACK drops the axis.
TEST(Split, CutsAlongTheAxisIntoEveryOutput) {
  const std::vector<int8_t> x = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};  // [2, 6]
  const auto bytes = [](std::vector<int8_t> v) { return AsBytes(v); };
  {
    SingleOpGraph g;
    const int axis = g.AddConstant(DataType::kInt32, {}, std::vector<int32_t>{1});
    const int in = g.AddTensor(DataType::kInt8, {2, 6}, {0.1f}, {0});
    const int a = g.AddTensor(DataType::kInt8, {2, 2}, {0.1f}, {0});
    const int b = g.AddTensor(DataType::kInt8, {2, 2}, {0.1f}, {0});
    const int c = g.AddTensor(DataType::kInt8, {2, 2}, {0.1f}, {0});
    g.SetNode(OpKind::kSplit, {axis, in}, {a, b, c}, {});
    EXPECT_EQ(g.RunOutputs({AsBytes(x)}),
              (std::vector<std::vector<uint8_t>>{bytes({0, 1, 10, 11}), bytes({2, 3, 12, 13}),
                                                 bytes({4, 5, 14, 15})}));
  }
  {
    SingleOpGraph g;
    const int in = g.AddTensor(DataType::kInt8, {2, 6}, {0.1f}, {0});
    const int sizes = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{-1, 4});
    const int axis = g.AddConstant(DataType::kInt32, {}, std::vector<int32_t>{-1});
    const int a = g.AddTensor(DataType::kInt8, {2, 2}, {0.1f}, {0});
    const int b = g.AddTensor(DataType::kInt8, {2, 4}, {0.1f}, {0});
    g.SetNode(OpKind::kSplitV, {in, sizes, axis}, {a, b}, {});
    EXPECT_EQ(g.RunOutputs({AsBytes(x)}),
              (std::vector<std::vector<uint8_t>>{bytes({0, 1, 10, 11}),
                                                 bytes({2, 3, 4, 5, 12, 13, 14, 15})}));
  }
  {
    SingleOpGraph g;
    const int in = g.AddTensor(DataType::kInt8, {2, 6}, {0.1f}, {0});
    const int a = g.AddTensor(DataType::kInt8, {6}, {0.1f}, {0});
    const int b = g.AddTensor(DataType::kInt8, {6}, {0.1f}, {0});
    PackAttrs attrs;
    attrs.axis = 0, attrs.count = 2;
    g.SetNode(OpKind::kUnpack, {in}, {a, b}, attrs);
    EXPECT_EQ(g.RunOutputs({AsBytes(x)}),
              (std::vector<std::vector<uint8_t>>{bytes({0, 1, 2, 3, 4, 5}),
                                                 bytes({10, 11, 12, 13, 14, 15})}));
  }
}

TEST(Slice, TakesABoxWithMinusOneRunningToTheEnd) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {4, 5}, {0.1f}, {0});
  const int b = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int s = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{2, -1});
  const int out = g.AddTensor(DataType::kInt8, {2, 3}, {0.1f}, {0});
  g.SetNode(OpKind::kSlice, {in, b, s}, {out}, {});
  std::vector<int8_t> x(20);
  std::iota(x.begin(), x.end(), int8_t{0});
  EXPECT_EQ(g.Run({AsBytes(x)}), AsBytes(std::vector<int8_t>{7, 8, 9, 12, 13, 14}));
}

}  // namespace
}  // namespace mcunet::testing
