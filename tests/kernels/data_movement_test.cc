// CONCATENATION and RESIZE_NEAREST_NEIGHBOR against hand-derived outputs: the
// bytes each output element takes, any element type, in place, and errors.
// Their bytes against TF Lite Micro's are in tests/golden_ops.
#include <gtest/gtest.h>

#include <numeric>

#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

std::vector<int8_t> Iota(int n, int start) {
  std::vector<int8_t> v(n);
  std::iota(v.begin(), v.end(), static_cast<int8_t>(start));
  return v;
}

TEST(Concatenation, InterleavesRowsAlongTheMiddleAxis) {
  // [2,1,3] ++ [2,2,3] ++ [2,1,3] along axis 1 (written -2): per outer row, the
  // inputs' chunks one after the other.
  for (int axis : {1, -2}) {
    SingleOpGraph g;
    const int a = g.AddTensor(DataType::kInt8, {2, 1, 3}, {0.1f}, {0});
    const int b = g.AddTensor(DataType::kInt8, {2, 2, 3}, {0.1f}, {0});
    const int c = g.AddConstant(DataType::kInt8, {2, 1, 3}, Iota(6, 100), {0.1f}, {0});
    const int out = g.AddTensor(DataType::kInt8, {2, 4, 3}, {0.1f}, {0});
    ConcatAttrs attrs;
    attrs.axis = axis;
    g.SetNode(OpKind::kConcatenation, {a, b, c}, {out}, attrs);
    const auto got = g.Run({AsBytes(Iota(6, 0)), AsBytes(Iota(12, 20))});
    const std::vector<int8_t> expected = {0, 1, 2, 20, 21, 22, 23, 24, 25, 100, 101, 102,
                                          3, 4, 5, 26, 27, 28, 29, 30, 31, 103, 104, 105};
    EXPECT_EQ(got, AsBytes(expected)) << "axis " << axis;
  }
}

TEST(Concatenation, CopiesFloatsAndTheFirstInputMayBeInPlaceAlongTheOuterAxis) {
  SingleOpGraph g;
  const int a = g.AddTensor(DataType::kFloat32, {1, 2});
  const int b = g.AddTensor(DataType::kFloat32, {2, 2});
  const int out = g.AddTensor(DataType::kFloat32, {3, 2});
  g.SetNode(OpKind::kConcatenation, {a, b}, {out}, ConcatAttrs{});
  const std::vector<float> x = {1.5f, -2}, y = {3, 4, 5, 6.25f};
  const auto got = g.Run({AsBytes(x), AsBytes(y)});
  EXPECT_EQ(got, AsBytes(std::vector<float>{1.5f, -2, 3, 4, 5, 6.25f}));
  auto op = GetOpDefinition(OpKind::kConcatenation).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok());
  EXPECT_EQ((*op)->InPlaceOffset(0), 0);
  EXPECT_EQ((*op)->InPlaceOffset(1), kNoInPlace);
}

TEST(Concatenation, ErrorsNameTheInput) {
  SingleOpGraph g;
  const int a = g.AddTensor(DataType::kInt8, {2, 3}, {0.1f}, {0});
  const int b = g.AddTensor(DataType::kInt8, {3, 3}, {0.1f}, {0});
  const int out = g.AddTensor(DataType::kInt8, {2, 6}, {0.1f}, {0});
  ConcatAttrs attrs;
  attrs.axis = 1;
  g.SetNode(OpKind::kConcatenation, {a, b}, {out}, attrs);
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("input 1 has shape 3x3"), std::string::npos)
      << ex.status().message();
  attrs.activation = Activation::kRelu;
  g.SetNode(OpKind::kConcatenation, {a, a}, {out}, attrs);
  ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("fused activation"), std::string::npos)
      << ex.status().message();
}

// Output rows and columns of a 1-channel image with pixel value 10 * y + x.
std::vector<int8_t> Resize(int in_h, int in_w, int out_h, int out_w, ResizeAttrs attrs) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {1, in_h, in_w, 1}, {0.1f}, {0});
  const int size = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{out_h, out_w});
  const int out = g.AddTensor(DataType::kInt8, {1, out_h, out_w, 1}, {0.1f}, {0});
  g.SetNode(OpKind::kResizeNearestNeighbor, {in, size}, {out}, attrs);
  std::vector<int8_t> image;
  for (int y = 0; y < in_h; ++y)
    for (int x = 0; x < in_w; ++x) image.push_back(static_cast<int8_t>(10 * y + x));
  const auto bytes = g.Run({AsBytes(image)});
  return std::vector<int8_t>(bytes.begin(), bytes.end());
}

TEST(ResizeNearestNeighbor, SourceRowsAndColumnsFollowTheThreeConventions) {
  // Plain 2 -> 4: floor(o * 2 / 4) = 0, 0, 1, 1.
  EXPECT_EQ(Resize(2, 2, 4, 1, {}), (std::vector<int8_t>{0, 0, 10, 10}));
  // align_corners 3 -> 5: round(o * 2 / 4) with halves away from zero = 0, 1, 1, 2, 2.
  ResizeAttrs align;
  align.align_corners = true;
  EXPECT_EQ(Resize(1, 3, 1, 5, align), (std::vector<int8_t>{0, 1, 1, 2, 2}));
  // half_pixel_centers 4 -> 2: floor((o + 0.5) * 2) = 1, 3.
  ResizeAttrs half;
  half.half_pixel_centers = true;
  EXPECT_EQ(Resize(4, 1, 2, 1, half), (std::vector<int8_t>{10, 30}));
}

TEST(ResizeNearestNeighbor, SizeMustBeAConstantPair) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {1, 2, 2, 1}, {0.1f}, {0});
  const int size = g.AddConstant(DataType::kInt32, {3}, std::vector<int32_t>{4, 4, 1});
  const int out = g.AddTensor(DataType::kInt8, {1, 4, 4, 1}, {0.1f}, {0});
  g.SetNode(OpKind::kResizeNearestNeighbor, {in, size}, {out}, ResizeAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("RESIZE_NEAREST_NEIGHBOR"), std::string::npos)
      << ex.status().message();
  EXPECT_NE(ex.status().message().find("3 values"), std::string::npos) << ex.status().message();
}

}  // namespace
}  // namespace mcunet::testing
