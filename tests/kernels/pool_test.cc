// AVERAGE_POOL_2D and MAX_POOL_2D against the spec: windows clipped to the image,
// the average divided by the clipped count with ties away from zero.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct PoolCase {
  bool average;
  int in_h, in_w, ch, k_h, k_w, stride;
  Padding padding;
  Activation activation;
};

class PoolGridTest : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolGridTest, MatchesSpecReference) {
  const PoolCase c = GetParam();
  std::mt19937 rng(c.in_h * 131 + c.in_w * 17 + c.ch + c.k_h * 7 + c.stride);
  const float scale = 0.05f;
  const int zp = static_cast<int>(rng() % 256) - 128;
  auto out_size = [&](int in, int k) {
    return c.padding == Padding::kSame ? (in + c.stride - 1) / c.stride
                                       : (in - k + c.stride) / c.stride;
  };
  const int oh = out_size(c.in_h, c.k_h), ow = out_size(c.in_w, c.k_w);
  const auto in = RandomInt8(rng, static_cast<size_t>(c.in_h) * c.in_w * c.ch);
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, c.in_h, c.in_w, c.ch}, {scale}, {zp});
  const int to = g.AddTensor(DataType::kInt8, {1, oh, ow, c.ch}, {scale}, {zp});
  PoolAttrs a;
  a.padding = c.padding, a.stride_h = a.stride_w = c.stride, a.filter_h = c.k_h, a.filter_w = c.k_w;
  a.activation = c.activation;
  g.SetNode(c.average ? OpKind::kAveragePool2D : OpKind::kMaxPool2D, {ti}, {to}, a);

  const int pad_t = std::max(0, (oh - 1) * c.stride + c.k_h - c.in_h) / 2;
  const int pad_l = std::max(0, (ow - 1) * c.stride + c.k_w - c.in_w) / 2;
  int32_t lo, hi;
  RefActivationRange(static_cast<int>(c.activation), scale, zp, &lo, &hi);
  std::vector<int8_t> expected;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int ch = 0; ch < c.ch; ++ch) {
        int64_t sum = 0, count = 0;
        int best = -128;
        for (int ky = 0; ky < c.k_h; ++ky)
          for (int kx = 0; kx < c.k_w; ++kx) {
            const int y = oy * c.stride - pad_t + ky, x = ox * c.stride - pad_l + kx;
            if (y < 0 || y >= c.in_h || x < 0 || x >= c.in_w) continue;
            const int v = in[(static_cast<size_t>(y) * c.in_w + x) * c.ch + ch];
            sum += v, ++count, best = std::max(best, v);
          }
        // Division rounding half away from zero, from the exact rational.
        const int v =
            c.average ? static_cast<int>(std::round(static_cast<double>(sum) / count)) : best;
        expected.push_back(static_cast<int8_t>(Clamp(v, lo, hi)));
      }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
  EXPECT_EQ(g.RunOverlapped(AsBytes(in)), AsBytes(expected));  // in-place rule
}

std::vector<PoolCase> Grid() {
  std::vector<PoolCase> cases;
  int i = 0;
  for (bool average : {true, false})
    for (int k : {1, 2, 3, 5})
      for (int stride : {1, 2, 3})
        for (Padding p : {Padding::kSame, Padding::kValid}) {
          const int in_h = 5 + i % 4, in_w = 4 + i % 5;
          cases.push_back({average, in_h, in_w, 1 + 2 * (i % 3), k, k == 5 ? 3 : k, stride, p,
                           static_cast<Activation>(i % 4)});
          ++i;
        }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Grid, PoolGridTest, ::testing::ValuesIn(Grid()), [](const auto& info) {
  const PoolCase& c = info.param;
  return fmt::format("{}_{}x{}x{}_k{}x{}_s{}_{}_act{}", c.average ? "avg" : "max", c.in_h, c.in_w,
                     c.ch, c.k_h, c.k_w, c.stride, c.padding == Padding::kSame ? "same" : "valid",
                     static_cast<int>(c.activation));
});

}  // namespace
}  // namespace mcunet::testing
