// PAD, PADV2, TRANSPOSE and RESHAPE: data movement, checked against index math.
#include <gtest/gtest.h>

#include <numeric>

#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

TEST(Pad, FillsWithZeroPointAroundTheInput) {
  std::mt19937 rng(3);
  const int zp = -7;
  const auto in = RandomInt8(rng, 2 * 3 * 4);
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, 2, 3, 4}, {0.5f}, {zp});
  const int tp =
      g.AddConstant(DataType::kInt32, {4, 2}, std::vector<int32_t>{0, 0, 1, 2, 0, 1, 3, 0});
  const int to = g.AddTensor(DataType::kInt8, {1, 5, 4, 7}, {0.5f}, {zp});
  g.SetNode(OpKind::kPad, {ti, tp}, {to}, std::monostate{});
  std::vector<int8_t> expected;
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 4; ++x)
      for (int c = 0; c < 7; ++c) {
        const int iy = y - 1, ix = x, ic = c - 3;
        const bool inside = iy >= 0 && iy < 2 && ix < 3 && ic >= 0;
        expected.push_back(inside ? in[(iy * 3 + ix) * 4 + ic] : static_cast<int8_t>(zp));
      }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
}

TEST(PadV2, FillsWithTheConstantValueForFloat) {
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kFloat32, {2});
  const int tp = g.AddConstant(DataType::kInt64, {1, 2}, std::vector<int64_t>{1, 2});
  const int tv = g.AddConstant(DataType::kFloat32, {1}, std::vector<float>{-2.5f});
  const int to = g.AddTensor(DataType::kFloat32, {5});
  g.SetNode(OpKind::kPadV2, {ti, tp, tv}, {to}, std::monostate{});
  EXPECT_EQ(g.Run({AsBytes(std::vector<float>{1.0f, 2.0f})}),
            AsBytes(std::vector<float>{-2.5f, 1.0f, 2.0f, -2.5f, -2.5f}));
}

TEST(Pad, NegativePaddingIsRefused) {
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {4}, {0.5f}, {0});
  const int tp = g.AddConstant(DataType::kInt32, {1, 2}, std::vector<int32_t>{-1, 0});
  const int to = g.AddTensor(DataType::kInt8, {3}, {0.5f}, {0});
  g.SetNode(OpKind::kPad, {ti, tp}, {to}, std::monostate{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("PAD"), std::string::npos);
}

TEST(Transpose, EveryPermutationOfRank4) {
  const std::vector<int32_t> shape = {2, 3, 4, 5};
  std::vector<int8_t> in(120);
  std::iota(in.begin(), in.end(), 0);
  std::vector<int32_t> perm = {0, 1, 2, 3};
  int checked = 0;
  do {
    SingleOpGraph g;
    const int ti = g.AddTensor(DataType::kInt8, shape, {1.0f}, {0});
    const int tp = g.AddConstant(DataType::kInt32, {4}, perm);
    const int to =
        g.AddTensor(DataType::kInt8,
                    {shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]}, {1.0f}, {0});
    g.SetNode(OpKind::kTranspose, {ti, tp}, {to}, std::monostate{});
    const int strides[4] = {60, 20, 5, 1};
    std::vector<int8_t> expected;
    for (int a = 0; a < shape[perm[0]]; ++a)
      for (int b = 0; b < shape[perm[1]]; ++b)
        for (int c = 0; c < shape[perm[2]]; ++c)
          for (int d = 0; d < shape[perm[3]]; ++d) {
            expected.push_back(in[a * strides[perm[0]] + b * strides[perm[1]] +
                                  c * strides[perm[2]] + d * strides[perm[3]]]);
          }
    EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
    ++checked;
  } while (std::next_permutation(perm.begin(), perm.end()));
  EXPECT_EQ(checked, 24);
}

TEST(Transpose, RepeatedAxisIsRefused) {
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {2, 3}, {1.0f}, {0});
  const int tp = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{1, 1});
  const int to = g.AddTensor(DataType::kInt8, {3, 3}, {1.0f}, {0});
  g.SetNode(OpKind::kTranspose, {ti, tp}, {to}, std::monostate{});
  EXPECT_FALSE(g.Build().ok());
}

TEST(Reshape, CopiesBytesAndChecksElementCount) {
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {2, 6}, {1.0f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {3, 4}, {1.0f}, {0});
  g.SetNode(OpKind::kReshape, {ti}, {to}, std::monostate{});
  std::vector<int8_t> in(12);
  std::iota(in.begin(), in.end(), -6);
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(in));

  SingleOpGraph bad;
  const int bi = bad.AddTensor(DataType::kInt8, {2, 6}, {1.0f}, {0});
  const int bo = bad.AddTensor(DataType::kInt8, {5}, {1.0f}, {0});
  bad.SetNode(OpKind::kReshape, {bi}, {bo}, std::monostate{});
  EXPECT_FALSE(bad.Build().ok());
}

}  // namespace
}  // namespace mcunet::testing
