// QUANTIZE (float -> int8, int8 -> int8), DEQUANTIZE, MEAN and SOFTMAX.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

TEST(Quantize, FloatRoundsHalfAwayFromZeroAndSaturates) {
  const float scale = 0.5f;
  const int zp = 3;
  const std::vector<float> in = {0.0f,   0.25f,   -0.25f, 0.75f,   -0.75f, 1.0f,
                                 100.0f, -100.0f, 63.0f,  -65.75f, 1e30f,  -1e30f};
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kFloat32, {static_cast<int32_t>(in.size())});
  const int to = g.AddTensor(DataType::kInt8, {static_cast<int32_t>(in.size())}, {scale}, {zp});
  g.SetNode(OpKind::kQuantize, {ti}, {to}, std::monostate{});
  std::vector<int8_t> expected;
  for (float x : in) {
    const double q = std::round(static_cast<double>(x) / scale) + zp;  // ties away from zero
    expected.push_back(static_cast<int8_t>(std::clamp(q, -128.0, 127.0)));
  }
  // 0.25 / 0.5 = 0.5 rounds to 1; -0.25 to -1 (away from zero, not to even).
  EXPECT_EQ(expected[1], 4);
  EXPECT_EQ(expected[2], 2);
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
}

TEST(Quantize, Int8RequantizeMatchesSpec) {
  std::mt19937 rng(11);
  const auto in = RandomInt8(rng, 256);
  const float s_in = 0.037f, s_out = 0.011f;
  const int z_in = -20, z_out = 17;
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {256}, {s_in}, {z_in});
  const int to = g.AddTensor(DataType::kInt8, {256}, {s_out}, {z_out});
  g.SetNode(OpKind::kQuantize, {ti}, {to}, std::monostate{});
  int32_t m;
  int shift;
  RefQuantizeMultiplier(static_cast<double>(s_in) / s_out, &m, &shift);
  std::vector<int8_t> expected;
  for (int8_t x : in) {
    expected.push_back(
        static_cast<int8_t>(Clamp(RefRequantize(x - z_in, m, shift) + z_out, -128, 127)));
  }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
}

TEST(Dequantize, IsScaleTimesOffsetValue) {
  std::vector<int8_t> in(256);
  for (int i = 0; i < 256; ++i) in[i] = static_cast<int8_t>(i - 128);
  const float scale = 0.0731f;
  const int zp = -9;
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {256}, {scale}, {zp});
  const int to = g.AddTensor(DataType::kFloat32, {256});
  g.SetNode(OpKind::kDequantize, {ti}, {to}, std::monostate{});
  std::vector<float> expected;
  for (int8_t q : in) expected.push_back(static_cast<float>(static_cast<double>(scale) * (q - zp)));
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
}

TEST(Mean, SpatialKeepDimsRequantizesThenDividesRounding) {
  std::mt19937 rng(5);
  const int h = 7, w = 5, c = 6;
  const auto in = RandomInt8(rng, h * w * c);
  const float s_in = 0.02f, s_out = 0.013f;
  const int z_in = 4, z_out = -3;
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, h, w, c}, {s_in}, {z_in});
  const int ta = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int to = g.AddTensor(DataType::kInt8, {1, 1, 1, c}, {s_out}, {z_out});
  g.SetNode(OpKind::kMean, {ti, ta}, {to}, ReducerAttrs{true});
  int32_t m;
  int shift;
  RefQuantizeMultiplier(static_cast<double>(s_in) / s_out, &m, &shift);
  std::vector<int8_t> expected;
  for (int ch = 0; ch < c; ++ch) {
    int32_t acc = 0;
    for (int i = 0; i < h * w; ++i) acc += in[i * c + ch] - z_in;
    const int64_t scaled = RefRequantize(acc, m, shift);
    const int64_t n = h * w;
    const int64_t q = scaled > 0 ? (scaled + n / 2) / n : (scaled - n / 2) / n;
    expected.push_back(static_cast<int8_t>(Clamp(static_cast<int32_t>(q) + z_out, -128, 127)));
  }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
}

TEST(Mean, OtherAxesRoundTheRescaledMean) {
  std::mt19937 rng(6);
  const auto in = RandomInt8(rng, 4 * 9);
  const float s_in = 0.05f, s_out = 0.05f;
  const int zp = 6;
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {4, 9}, {s_in}, {zp});
  const int ta = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{-1});
  const int to = g.AddTensor(DataType::kInt8, {4}, {s_out}, {zp});
  g.SetNode(OpKind::kMean, {ti, ta}, {to}, ReducerAttrs{false});
  std::vector<int8_t> expected;
  for (int r = 0; r < 4; ++r) {
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += in[r * 9 + i];
    expected.push_back(static_cast<int8_t>(std::round(sum / 9.0)));  // same quantisation
  }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
}

// Softmax has no closed-form integer spec; TFLite's fixed-point result is within
// one output step of the exact real softmax, and the models' goldens pin it exactly.
TEST(Softmax, WithinOneStepOfRealSoftmax) {
  std::mt19937 rng(9);
  for (float s_in : {0.01f, 0.05f, 0.2f}) {
    const int rows = 6, depth = 13;
    const auto in = RandomInt8(rng, rows * depth);
    SingleOpGraph g;
    const int ti = g.AddTensor(DataType::kInt8, {rows, depth}, {s_in}, {-5});
    const int to = g.AddTensor(DataType::kInt8, {rows, depth}, {1.0f / 256}, {-128});
    g.SetNode(OpKind::kSoftmax, {ti}, {to}, SoftmaxAttrs{1.0f});
    const auto got = g.Run({AsBytes(in)});
    for (int r = 0; r < rows; ++r) {
      double total = 0;
      for (int c = 0; c < depth; ++c) total += std::exp(s_in * (in[r * depth + c] - 127));
      for (int c = 0; c < depth; ++c) {
        const double p = std::exp(s_in * (in[r * depth + c] - 127)) / total;
        const double expected = std::clamp(p * 256 - 128, -128.0, 127.0);
        EXPECT_NEAR(static_cast<int8_t>(got[r * depth + c]), expected, 1.0) << "row " << r;
      }
    }
  }
}

TEST(Softmax, WrongOutputQuantizationIsRefused) {
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  g.SetNode(OpKind::kSoftmax, {ti}, {to}, SoftmaxAttrs{1.0f});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("1/256"), std::string::npos);
}

}  // namespace
}  // namespace mcunet::testing
