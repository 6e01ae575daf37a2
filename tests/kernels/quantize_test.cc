// QUANTIZE (float -> int8, int8 and int16 requantisation), DEQUANTIZE, MEAN and SOFTMAX.
#include <gtest/gtest.h>

#include <algorithm>
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

// Between int8 and int16 both ways and int16 -> int16: every int8 value, or
// int16 values over the whole range, against the spec (scale ratio's
// multiplier and shift, zero points, clamp to the output type), including
// ratios above 1 (a left shift) and saturation at both ends.
TEST(Quantize, Int16RequantizeMatchesSpec) {
  struct Case {
    DataType in, out;
    float s_in, s_out;
    int z_in, z_out;
  };
  const Case cases[] = {
      {DataType::kInt8, DataType::kInt16, 0.05f, 0.000244148f, -10, 0},
      {DataType::kInt8, DataType::kInt16, 0.5f, 0.0001f, 3, 0},  // saturates
      {DataType::kInt16, DataType::kInt8, 0.0005f, 0.113725f, 0, -5},
      {DataType::kInt16, DataType::kInt8, 0.0005f, 0.0001f, 0, 100},  // ratio 5, saturates
      {DataType::kInt16, DataType::kInt16, 0.0003f, 0.0007f, 0, 0},
      {DataType::kInt16, DataType::kInt16, 0.0009f, 0.0002f, 0, 0},
  };
  std::mt19937 rng(5);
  for (const Case& c : cases) {
    std::vector<int32_t> values;
    if (c.in == DataType::kInt8) {
      for (int v = -128; v < 128; ++v) values.push_back(v);
    } else {
      for (int v : {-32768, -32767, -1, 0, 1, 32766, 32767}) values.push_back(v);
      for (int i = 0; i < 300; ++i) values.push_back(static_cast<int32_t>(rng() % 65536) - 32768);
    }
    const int32_t n = static_cast<int32_t>(values.size());
    SingleOpGraph g;
    const int ti = g.AddTensor(c.in, {n}, {c.s_in}, {c.z_in});
    const int to = g.AddTensor(c.out, {n}, {c.s_out}, {c.z_out});
    g.SetNode(OpKind::kQuantize, {ti}, {to}, std::monostate{});
    int32_t m;
    int shift;
    RefQuantizeMultiplier(static_cast<double>(c.s_in) / c.s_out, &m, &shift);
    const int lo = c.out == DataType::kInt8 ? -128 : -32768;
    const int hi = c.out == DataType::kInt8 ? 127 : 32767;
    std::vector<uint8_t> in, expected;
    for (int32_t x : values) {
      const int32_t y = Clamp(RefRequantize(x - c.z_in, m, shift) + c.z_out, lo, hi);
      for (int b = 0; b < (c.in == DataType::kInt8 ? 1 : 2); ++b)
        in.push_back((x >> (8 * b)) & 0xFF);
      for (int b = 0; b < (c.out == DataType::kInt8 ? 1 : 2); ++b) {
        expected.push_back((y >> (8 * b)) & 0xFF);
      }
    }
    EXPECT_EQ(g.Run({in}), expected) << DataTypeName(c.in) << " -> " << DataTypeName(c.out);
    // In place at the offset the op states (below the input when it widens).
    EXPECT_EQ(g.RunOverlapped(in), expected) << DataTypeName(c.in) << " -> " << DataTypeName(c.out);
  }
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

// TF Lite Micro's int8 MEAN (reference_ops::QuantizedMeanOrSum, which
// EvalMeanHelper uses for every int8 MEAN): the sum of (value - input zero
// point) rescaled by the in/out scale ratio, whose Q31 multiplier absorbs
// 1/count by a left shift of floor(log2(count)) (at most 32, and at most
// 31 + its shift) and a truncating division.
std::vector<int8_t> TflmMean(const std::vector<int8_t>& in, int n, int channels, float s_in,
                             int z_in, float s_out, int z_out) {
  int32_t m;
  int shift;
  RefQuantizeMultiplier(static_cast<double>(s_in) / s_out, &m, &shift);
  int fold = 0;
  while ((int64_t{2} << fold) <= n) ++fold;
  fold = std::min({fold, 32, 31 + shift});
  const int32_t m_mean = static_cast<int32_t>((static_cast<int64_t>(m) << fold) / n);
  std::vector<int8_t> out;
  for (int ch = 0; ch < channels; ++ch) {
    int32_t sum = 0;
    for (int i = 0; i < n; ++i) sum += in[i * channels + ch] - z_in;
    const int64_t q = RefRequantize(sum, m_mean, shift - fold) + z_out;
    out.push_back(static_cast<int8_t>(Clamp(static_cast<int32_t>(q), -128, 127)));
  }
  return out;
}

// The global pooling that ends a MobileNetV2 exported from PyTorch: MEAN over
// axes {1, 2} of 1x7x7x1280, keep_dims, input and output quantisation equal
// (issue 22's case), then with a slightly different output scale.
TEST(Mean, GlobalPoolingAsTflm) {
  std::mt19937 rng(7);
  const int hw = 49, c = 1280;
  const auto in = RandomInt8(rng, hw * c);
  for (const float s_out : {0.0705f, 0.0703f}) {
    SingleOpGraph g;
    const int ti = g.AddTensor(DataType::kInt8, {1, 7, 7, c}, {0.0705f}, {-9});
    const int ta = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{1, 2});
    const int to = g.AddTensor(DataType::kInt8, {1, 1, 1, c}, {s_out}, {-9});
    g.SetNode(OpKind::kMean, {ti, ta}, {to}, ReducerAttrs{true});
    const auto expected = TflmMean(in, hw, c, 0.0705f, -9, s_out, -9);
    EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected)) << "output scale " << s_out;
  }
}

TEST(Mean, UnequalQuantisationOnSpatialAxes) {
  std::mt19937 rng(5);
  const int h = 7, w = 5, c = 6;
  const auto in = RandomInt8(rng, h * w * c);
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, h, w, c}, {0.02f}, {4});
  const int ta = g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{1, 2});
  const int to = g.AddTensor(DataType::kInt8, {1, 1, 1, c}, {0.013f}, {-3});
  g.SetNode(OpKind::kMean, {ti, ta}, {to}, ReducerAttrs{true});
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(TflmMean(in, h * w, c, 0.02f, 4, 0.013f, -3)));
}

TEST(Mean, LastAxisWithoutKeepDims) {
  std::mt19937 rng(6);
  const auto in = RandomInt8(rng, 4 * 9);
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {4, 9}, {0.05f}, {6});
  const int ta = g.AddConstant(DataType::kInt32, {1}, std::vector<int32_t>{-1});
  const int to = g.AddTensor(DataType::kInt8, {4}, {0.05f}, {6});
  g.SetNode(OpKind::kMean, {ti, ta}, {to}, ReducerAttrs{false});
  // Rows of 9 are "channels" of one: transpose so TflmMean sums each row.
  std::vector<int8_t> columns(in.size());
  for (int r = 0; r < 4; ++r) {
    for (int i = 0; i < 9; ++i) columns[i * 4 + r] = in[r * 9 + i];
  }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(TflmMean(columns, 9, 4, 0.05f, 6, 0.05f, 6)));
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

// LOG_SOFTMAX likewise: within one output step (16/256) of the real log-softmax,
// including rows whose smallest differences fall below the input radius (the
// kernel's -128 branch, which the one-operator goldens do not reach).
TEST(LogSoftmax, WithinOneStepOfRealLogSoftmax) {
  std::mt19937 rng(11);
  for (float s_in : {0.02f, 0.05f, 0.2f}) {
    const int rows = 6, depth = 13;
    auto in = RandomInt8(rng, rows * depth);
    in[0] = -128, in[1] = 127;  // 255 steps: at scale 0.2, beyond the input radius (124)
    SingleOpGraph g;
    const int ti = g.AddTensor(DataType::kInt8, {rows, depth}, {s_in}, {3});
    const int to = g.AddTensor(DataType::kInt8, {rows, depth}, {16.0f / 256}, {127});
    g.SetNode(OpKind::kLogSoftmax, {ti}, {to}, std::monostate{});
    const auto got = g.Run({AsBytes(in)});
    for (int r = 0; r < rows; ++r) {
      double total = 0;
      for (int c = 0; c < depth; ++c) total += std::exp(s_in * in[r * depth + c]);
      for (int c = 0; c < depth; ++c) {
        const double log_p = s_in * in[r * depth + c] - std::log(total);
        const double expected = std::clamp(log_p * 16 + 127, -128.0, 127.0);
        EXPECT_NEAR(static_cast<int8_t>(got[r * depth + c]), expected, 1.0)
            << "scale " << s_in << " row " << r << " column " << c;
      }
    }
    if (s_in == 0.2f) EXPECT_EQ(static_cast<int8_t>(got[0]), -128);  // the radius branch
    EXPECT_EQ(g.RunOverlapped(AsBytes(in)), got);  // the in-place rule it states
  }
}

TEST(LogSoftmax, WrongOutputQuantizationIsRefused) {
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {1, 4}, {1.0f / 256}, {-128});
  g.SetNode(OpKind::kLogSoftmax, {ti}, {to}, std::monostate{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("16/256 and zero point 127"), std::string::npos)
      << ex.status().message();
  EXPECT_NE(ex.status().message().find("LOG_SOFTMAX"), std::string::npos);
}

}  // namespace
}  // namespace mcunet::testing
