// SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, RESIZE_BILINEAR, L2_NORMALIZATION and
// TRANSPOSE_CONV against hand-derived outputs and their refusals. Their bytes against
// TF Lite Micro's are in tests/golden_ops.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

std::vector<int8_t> Values(const std::vector<uint8_t>& bytes) {
  return std::vector<int8_t>(bytes.begin(), bytes.end());
}

std::vector<int8_t> SpaceBatch(OpKind kind, std::vector<int32_t> in_shape,
                               std::vector<int32_t> out_shape, std::vector<int32_t> block,
                               std::vector<int32_t> pads, const std::vector<int8_t>& values,
                               int64_t zero_point = 0) {
  SingleOpGraph g;
  const int m = static_cast<int>(block.size());
  const int in = g.AddTensor(DataType::kInt8, in_shape, {0.1f}, {zero_point});
  const int b = g.AddConstant(DataType::kInt32, {m}, block);
  const int p = g.AddConstant(DataType::kInt32, {m, 2}, pads);
  const int out = g.AddTensor(DataType::kInt8, out_shape, {0.1f}, {zero_point});
  g.SetNode(kind, {in, b, p}, {out}, {});
  return Values(g.Run({AsBytes(values)}));
}

TEST(SpaceToBatchNd, BlockOffsetsBecomeBatchesAndPaddingIsTheZeroPoint) {
  // A 2x2 image, block 2x2: batch (sh * 2 + sw) holds pixel (sh, sw).
  EXPECT_EQ(SpaceBatch(OpKind::kSpaceToBatchNd, {1, 2, 2, 1}, {4, 1, 1, 1}, {2, 2}, {0, 0, 0, 0},
                       {0, 1, 2, 3}),
            (std::vector<int8_t>{0, 1, 2, 3}));
  // One row padded on top, block 2x1: batch 0 is the padding row, batch 1 the image row.
  EXPECT_EQ(SpaceBatch(OpKind::kSpaceToBatchNd, {1, 1, 2, 1}, {2, 1, 2, 1}, {2, 1}, {1, 0, 0, 0},
                       {0, 1}, /*zero_point=*/5),
            (std::vector<int8_t>{5, 5, 0, 1}));
  // BATCH_TO_SPACE_ND undoes both, cropping the padding row.
  EXPECT_EQ(SpaceBatch(OpKind::kBatchToSpaceNd, {4, 1, 1, 1}, {1, 2, 2, 1}, {2, 2}, {0, 0, 0, 0},
                       {0, 1, 2, 3}),
            (std::vector<int8_t>{0, 1, 2, 3}));
  EXPECT_EQ(SpaceBatch(OpKind::kBatchToSpaceNd, {2, 1, 2, 1}, {1, 1, 2, 1}, {2, 1}, {1, 0, 0, 0},
                       {5, 5, 0, 1}),
            (std::vector<int8_t>{0, 1}));
}

TEST(SpaceToBatchNd, RefusesPaddedSizesThatAreNotBlockMultiples) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {1, 3, 2, 1}, {0.1f}, {0});
  const int b = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{2, 2});
  const int p = g.AddConstant(DataType::kInt32, {2, 2}, std::vector<int32_t>{0, 0, 0, 0});
  const int out = g.AddTensor(DataType::kInt8, {4, 1, 1, 1}, {0.1f}, {0});
  g.SetNode(OpKind::kSpaceToBatchNd, {in, b, p}, {out}, {});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("padded size 3x2"), std::string::npos)
      << ex.status().message();
}

TEST(ResizeBilinear, InterpolatesInTenBitSteps) {
  // Width 2 -> 4: source positions 0, 0.5, 1, 1.5 (clamped to the last column).
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {1, 1, 2, 1}, {0.1f}, {0});
  const int size = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{1, 4});
  const int out = g.AddTensor(DataType::kInt8, {1, 1, 4, 1}, {0.1f}, {0});
  g.SetNode(OpKind::kResizeBilinear, {in, size}, {out}, ResizeAttrs{});
  EXPECT_EQ(Values(g.Run({AsBytes(std::vector<int8_t>{0, 100})})),
            (std::vector<int8_t>{0, 50, 100, 100}));
  const int other = g.AddTensor(DataType::kInt8, {1, 1, 4, 1}, {0.2f}, {0});
  g.SetNode(OpKind::kResizeBilinear, {in, size}, {other}, ResizeAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("keeps raw values"), std::string::npos)
      << ex.status().message();
}

TEST(L2Normalization, RowsBecomeUnitVectorsInOneOver128) {
  // Rows (3, 4) and (-6, 8) around zero point 2: both 0.6 / 0.8 in magnitude.
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {2, 2}, {0.5f}, {2});
  const int out = g.AddTensor(DataType::kInt8, {2, 2}, {1.0f / 128}, {0});
  g.SetNode(OpKind::kL2Normalization, {in}, {out}, {});
  const auto got = Values(g.Run({AsBytes(std::vector<int8_t>{5, 6, -4, 10})}));
  const double expected[] = {76.8, 102.4, -76.8, 102.4};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(got[i], expected[i], 1.0) << i;
  const int wrong = g.AddTensor(DataType::kInt8, {2, 2}, {1.0f / 128}, {3});
  g.SetNode(OpKind::kL2Normalization, {in}, {wrong}, {});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("must be (1/128, 0)"), std::string::npos)
      << ex.status().message();
}

TEST(TransposeConv, ScattersEachInputPixelOverItsWindow) {
  // One input pixel (value 2) through a 2x2 filter at stride 2, plus bias 10; every
  // scale 1, so the output is 2 x filter + 10 exactly.
  for (Padding padding : {Padding::kValid, Padding::kSame}) {
    SingleOpGraph g;
    const int shape = g.AddConstant(DataType::kInt32, {4}, std::vector<int32_t>{1, 2, 2, 1});
    const int w =
        g.AddConstant(DataType::kInt8, {1, 2, 2, 1}, std::vector<int8_t>{1, 2, 3, 4}, {1.0f}, {0});
    const int in = g.AddTensor(DataType::kInt8, {1, 1, 1, 1}, {1.0f}, {0});
    const int bias = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{10}, {1.0f}, {0});
    const int out = g.AddTensor(DataType::kInt8, {1, 2, 2, 1}, {1.0f}, {0});
    ConvAttrs a;
    a.padding = padding, a.stride_h = 2, a.stride_w = 2;
    g.SetNode(OpKind::kTransposeConv, {shape, w, in, bias}, {out}, a);
    EXPECT_EQ(Values(g.Run({AsBytes(std::vector<int8_t>{2})})),
              (std::vector<int8_t>{12, 14, 16, 18}));
  }
}

TEST(TransposeConv, RefusesAnOutputShapeThatDisagrees) {
  SingleOpGraph g;
  const int shape = g.AddConstant(DataType::kInt32, {4}, std::vector<int32_t>{1, 3, 3, 1});
  const int w =
      g.AddConstant(DataType::kInt8, {1, 2, 2, 1}, std::vector<int8_t>{1, 2, 3, 4}, {1.0f}, {0});
  const int in = g.AddTensor(DataType::kInt8, {1, 1, 1, 1}, {1.0f}, {0});
  const int out = g.AddTensor(DataType::kInt8, {1, 2, 2, 1}, {1.0f}, {0});
  ConvAttrs a;
  a.padding = Padding::kValid, a.stride_h = 2, a.stride_w = 2;
  g.SetNode(OpKind::kTransposeConv, {shape, w, in}, {out}, a);
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("disagrees with the output tensor"), std::string::npos)
      << ex.status().message();
}

}  // namespace
}  // namespace mcunet::testing
