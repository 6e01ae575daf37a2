// CONV_2D and DEPTHWISE_CONV_2D over a grid of shapes, strides, dilations,
// paddings, odd channel counts, zero points and per-channel scales, against the
// slow reference of the quantisation spec. int8 must match exactly.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <tuple>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"
#include "ops/conv_common.h"
#include "ops/in_place.h"

namespace mcunet::testing {
namespace {

struct ConvCase {
  bool depthwise;
  int batches, in_h, in_w, in_c, out_c, k_h, k_w, stride, dilation;
  Padding padding;
  Activation activation;
  bool per_channel, bias;
  std::string Name() const {
    return fmt::format("{}_b{}_{}x{}x{}_oc{}_k{}x{}_s{}_d{}_{}_act{}{}{}",
                       depthwise ? "dw" : "conv", batches, in_h, in_w, in_c, out_c, k_h, k_w,
                       stride, dilation, padding == Padding::kSame ? "same" : "valid",
                       static_cast<int>(activation), per_channel ? "_pc" : "", bias ? "_bias" : "");
  }
};

int OutSize(Padding padding, int in, int k, int stride, int dilation) {
  const int eff = (k - 1) * dilation + 1;
  return padding == Padding::kSame ? (in + stride - 1) / stride : (in - eff + stride) / stride;
}

// Reference from the spec: pad with the input zero point, accumulate
// (x - zp_in) * w, add bias, requantise per channel, add zp_out, clamp.
std::vector<int8_t> ReferenceConv(const ConvCase& c, const std::vector<int8_t>& in, int zp_in,
                                  const std::vector<int8_t>& w, const std::vector<int32_t>& bias,
                                  float s_in, const std::vector<float>& s_w, float s_out,
                                  int zp_out, int out_h, int out_w) {
  const int eff_h = (c.k_h - 1) * c.dilation + 1, eff_w = (c.k_w - 1) * c.dilation + 1;
  const int pad_t = std::max(0, ((out_h - 1) * c.stride + eff_h - c.in_h)) / 2;
  const int pad_l = std::max(0, ((out_w - 1) * c.stride + eff_w - c.in_w)) / 2;
  int32_t lo, hi;
  RefActivationRange(static_cast<int>(c.activation), s_out, zp_out, &lo, &hi);
  std::vector<int8_t> out(static_cast<size_t>(c.batches) * out_h * out_w * c.out_c);
  const int mult = c.depthwise ? c.out_c / c.in_c : 1;
  for (int b = 0; b < c.batches; ++b)
    for (int oy = 0; oy < out_h; ++oy)
      for (int ox = 0; ox < out_w; ++ox)
        for (int oc = 0; oc < c.out_c; ++oc) {
          int64_t acc = 0;
          for (int ky = 0; ky < c.k_h; ++ky)
            for (int kx = 0; kx < c.k_w; ++kx) {
              const int iy = oy * c.stride - pad_t + ky * c.dilation;
              const int ix = ox * c.stride - pad_l + kx * c.dilation;
              const bool inside = iy >= 0 && iy < c.in_h && ix >= 0 && ix < c.in_w;
              auto x_at = [&](int ic) {
                return inside ? in[((static_cast<size_t>(b) * c.in_h + iy) * c.in_w + ix) * c.in_c +
                                   ic]
                              : zp_in;
              };
              if (c.depthwise) {
                const int ic = oc / mult;
                acc +=
                    (x_at(ic) - zp_in) * w[(static_cast<size_t>(ky) * c.k_w + kx) * c.out_c + oc];
              } else {
                for (int ic = 0; ic < c.in_c; ++ic) {
                  acc += (x_at(ic) - zp_in) *
                         w[((static_cast<size_t>(oc) * c.k_h + ky) * c.k_w + kx) * c.in_c + ic];
                }
              }
            }
          if (c.bias) acc += bias[oc];
          int32_t m;
          int shift;
          RefQuantizeMultiplier(static_cast<double>(s_in) * s_w[c.per_channel ? oc : 0] / s_out, &m,
                                &shift);
          const int32_t v = RefRequantize(static_cast<int32_t>(acc), m, shift) + zp_out;
          out[((static_cast<size_t>(b) * out_h + oy) * out_w + ox) * c.out_c + oc] =
              static_cast<int8_t>(Clamp(v, lo, hi));
        }
  return out;
}

std::vector<ConvCase> Grid() {
  std::vector<ConvCase> cases;
  std::mt19937 rng(7);
  const Padding paddings[] = {Padding::kSame, Padding::kValid};
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                             Activation::kReluN1To1};
  for (bool dw : {false, true})
    for (int k : {1, 3, 5})
      for (int stride : {1, 2, 3})
        for (int dilation : {1, 2})
          for (Padding pad : paddings) {
            ConvCase c;
            c.depthwise = dw;
            c.batches = 1 + (rng() % 4 == 0);
            c.in_h = 3 + rng() % 8, c.in_w = 3 + rng() % 9;
            c.in_c = std::vector<int>{1, 3, 7, 16}[rng() % 4];
            c.out_c = dw ? c.in_c * (1 + rng() % 2) : std::vector<int>{1, 5, 8, 13}[rng() % 4];
            c.k_h = k, c.k_w = (k == 5 && rng() % 2) ? 3 : k;
            c.stride = stride, c.dilation = dilation, c.padding = pad;
            c.activation = acts[rng() % 4];
            c.per_channel = rng() % 3 != 0, c.bias = rng() % 4 != 0;
            if (OutSize(pad, c.in_h, c.k_h, stride, dilation) < 1 ||
                OutSize(pad, c.in_w, c.k_w, stride, dilation) < 1) {
              continue;
            }
            cases.push_back(c);
          }
  // Rows longer than the depthwise kernels' tiles of 32 outputs.
  // Rows (or columns) of 16 outputs or more: where depthwise 3 x 3 runs one
  // channel at a time.
  const auto wide = [&](int batches, int h, int w, int ch, int k, int stride, Padding pad,
                        Activation act) {
    cases.push_back({true, batches, h, w, ch, ch, k, k, stride, 1, pad, act, true, true});
  };
  wide(1, 5, 70, 8, 3, 1, Padding::kSame, Activation::kRelu6);
  wide(1, 6, 71, 5, 3, 2, Padding::kValid, Activation::kNone);
  wide(2, 4, 33, 7, 3, 1, Padding::kSame, Activation::kRelu);
  wide(1, 5, 32, 3, 3, 2, Padding::kSame, Activation::kNone);
  wide(1, 7, 18, 16, 3, 1, Padding::kValid, Activation::kReluN1To1);
  wide(1, 3, 40, 1, 3, 1, Padding::kSame, Activation::kNone);
  wide(1, 4, 37, 16, 5, 1, Padding::kSame, Activation::kRelu6);
  wide(1, 9, 40, 3, 7, 2, Padding::kSame, Activation::kNone);
  // Tall narrow maps: one channel at a time by columns (kws' 25 x 5).
  wide(1, 25, 5, 8, 3, 1, Padding::kSame, Activation::kRelu6);
  wide(2, 33, 4, 3, 3, 2, Padding::kSame, Activation::kNone);
  wide(1, 40, 3, 4, 3, 1, Padding::kSame, Activation::kNone);
  wide(1, 19, 6, 16, 3, 1, Padding::kValid, Activation::kRelu);
  wide(1, 12, 5, 5, 5, 1, Padding::kSame, Activation::kRelu6);
  wide(1, 20, 7, 3, 7, 2, Padding::kSame, Activation::kNone);
  return cases;
}

class ConvGridTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvGridTest, MatchesSpecReference) {
  const ConvCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.Name())));
  std::uniform_real_distribution<float> scale(0.002f, 0.05f);
  std::uniform_int_distribution<int> zp(-128, 127);
  const int out_h = OutSize(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int out_w = OutSize(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const float s_in = scale(rng), s_out = scale(rng) * 4;
  const int zp_in = zp(rng), zp_out = zp(rng);
  std::vector<float> s_w(c.per_channel ? c.out_c : 1);
  for (auto& s : s_w) s = scale(rng) / 4;
  const std::vector<int32_t> w_shape = c.depthwise
                                           ? std::vector<int32_t>{1, c.k_h, c.k_w, c.out_c}
                                           : std::vector<int32_t>{c.out_c, c.k_h, c.k_w, c.in_c};
  const std::vector<int8_t> w = RandomInt8(
      rng, static_cast<size_t>(c.k_h) * c.k_w * c.out_c * (c.depthwise ? 1 : c.in_c), -127, 127);
  std::vector<int32_t> bias(c.out_c);
  for (auto& b : bias) b = static_cast<int32_t>(rng() % 20001) - 10000;
  const std::vector<int8_t> in =
      RandomInt8(rng, static_cast<size_t>(c.batches) * c.in_h * c.in_w * c.in_c);

  SingleOpGraph g;
  const int t_in =
      g.AddTensor(DataType::kInt8, {c.batches, c.in_h, c.in_w, c.in_c}, {s_in}, {zp_in});
  const int t_w = g.AddConstant(DataType::kInt8, w_shape, w, s_w,
                                std::vector<int64_t>(s_w.size(), 0), c.depthwise ? 3 : 0);
  std::vector<float> s_b;
  for (float s : s_w) s_b.push_back(s_in * s);
  const int t_b = c.bias ? g.AddConstant(DataType::kInt32, {c.out_c}, bias, s_b,
                                         std::vector<int64_t>(s_b.size(), 0))
                         : -1;
  const int t_out =
      g.AddTensor(DataType::kInt8, {c.batches, out_h, out_w, c.out_c}, {s_out}, {zp_out});
  ConvAttrs attrs;
  attrs.padding = c.padding;
  attrs.stride_h = attrs.stride_w = c.stride;
  attrs.dilation_h = attrs.dilation_w = c.dilation;
  attrs.depth_multiplier = c.depthwise ? c.out_c / c.in_c : 1;
  attrs.activation = c.activation;
  std::vector<int> inputs = {t_in, t_w};
  if (c.bias) inputs.push_back(t_b);
  g.SetNode(c.depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D, inputs, {t_out}, attrs);

  const auto got = g.Run({AsBytes(in)});
  const auto expected =
      ReferenceConv(c, in, zp_in, w, bias, s_in, s_w, s_out, zp_out, out_h, out_w);
  EXPECT_EQ(got, AsBytes(expected));
  if (c.depthwise) {
    // Both kernel variants, in place at the stated offset and apart.
    for (bool compact : {false, true}) {
      const auto in_place = g.RunOverlapped(AsBytes(in), -1, compact);
      ASSERT_TRUE(in_place.has_value());
      EXPECT_EQ(*in_place, AsBytes(expected)) << "compact " << compact;
      EXPECT_EQ(*g.RunOverlapped(AsBytes(in), static_cast<int64_t>(expected.size()), compact),
                AsBytes(expected))
          << "compact " << compact;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, ConvGridTest, ::testing::ValuesIn(Grid()),
                         [](const auto& info) { return info.param.Name(); });

// The stated offset is tight to a pixel: for a 3x3 depthwise layer it is one row
// and two pixels, and placing the output one pixel and a byte closer overwrites
// input the next window still reads.
TEST(ConvInPlace, APixelCloserThanTheStatedOffsetCorruptsTheOutput) {
  std::mt19937 rng(99);
  const int h = 6, w = 16, c = 4;  // rows of 16: the by-channel variant is the fast one
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, h, w, c}, {0.05f}, {3});
  const int t_w = g.AddConstant(DataType::kInt8, {1, 3, 3, c}, RandomInt8(rng, 9 * c, -127, 127),
                                {0.01f, 0.02f, 0.015f, 0.03f}, {0, 0, 0, 0}, 3);
  const int t_out = g.AddTensor(DataType::kInt8, {1, h, w, c}, {0.02f}, {-4});
  g.SetNode(OpKind::kDepthwiseConv2D, {t_in, t_w}, {t_out}, ConvAttrs{});
  const auto in = AsBytes(RandomInt8(rng, h * w * c));
  const auto expected = g.Run({in});
  auto op = GetOpDefinition(OpKind::kDepthwiseConv2D).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok());
  const int64_t offset = (*op)->InPlaceOffset(0);
  EXPECT_EQ(offset, (w + 2) * c);  // written through (y, x); still to read from (y-1, x-1)
  EXPECT_EQ(*g.RunOverlapped(in, offset, /*compact=*/true), expected);
  EXPECT_NE(*g.RunOverlapped(in, offset - c - 1, /*compact=*/true), expected);
  // One channel at a time (the fast variant): safe at whole pixels from the
  // stated offset on, and the compiler keeps it only there.
  EXPECT_EQ(*g.RunOverlapped(in, offset), expected);
  EXPECT_EQ(*g.RunOverlapped(in, offset + c), expected);
  EXPECT_NE(*g.RunOverlapped(in, offset + 1), expected);
  EXPECT_TRUE((*op)->FastVariantAllows(offset + c));
  EXPECT_FALSE((*op)->FastVariantAllows(offset + 1));
}

// The 1x1 kernel works on pixel pairs: at its stated offset (a pair's whole
// output against the pair's first input byte) the output may overlap the
// input, for expanding and projecting layers and pixel counts that leave a
// remainder. (Its DSP blocks of three check their own safety, under QEMU.)
TEST(ConvInPlace, PointwisePairsAreSafeAtTheirOffset) {
  std::mt19937 rng(5);
  for (const auto [in_c, out_c, h, w] :
       {std::tuple{8, 24, 3, 5}, std::tuple{24, 8, 3, 5}, std::tuple{7, 7, 3, 5},
        std::tuple{8, 20, 2, 4}, std::tuple{12, 4, 1, 7}}) {
    SCOPED_TRACE(::testing::Message() << in_c << " -> " << out_c << ", " << h << "x" << w);
    SingleOpGraph g;
    const int t_in = g.AddTensor(DataType::kInt8, {1, h, w, in_c}, {0.05f}, {3});
    std::vector<float> scales(out_c, 0.01f);
    const int t_w = g.AddConstant(DataType::kInt8, {out_c, 1, 1, in_c},
                                  RandomInt8(rng, in_c * out_c, -127, 127), scales,
                                  std::vector<int64_t>(out_c, 0), 0);
    const int t_out = g.AddTensor(DataType::kInt8, {1, h, w, out_c}, {0.02f}, {-4});
    g.SetNode(OpKind::kConv2D, {t_in, t_w}, {t_out}, ConvAttrs{});
    const auto in = AsBytes(RandomInt8(rng, h * w * in_c));
    const auto expected = g.Run({in});
    auto op = GetOpDefinition(OpKind::kConv2D).prepare(g.graph(), g.graph().nodes[0]);
    ASSERT_TRUE(op.ok());
    const int64_t offset = (*op)->InPlaceOffset(0);
    // The largest (block end written) - (block start read) over the blocks.
    const int64_t pixels = h * w;
    int64_t bound = 0;
    for (int64_t t = 0; 2 * t < pixels; ++t) {
      bound = std::max(bound, std::min<int64_t>(2 * t + 2, pixels) * out_c - 2 * t * in_c);
    }
    EXPECT_EQ(offset, bound);
    EXPECT_EQ(*g.RunOverlapped(in, offset), expected);
  }
}

// k x k filters gather both windows of a pixel pair into scratch before writing
// either pixel: the reference kernel's pixel-by-pixel offset stays safe, for a
// stride-2 first layer (3 channels, padded) and a stride-1 3x3 layer.
TEST(ConvInPlace, GatheredWindowsAreSafeAtTheirOffset) {
  std::mt19937 rng(8);
  struct Shape {
    int h, w, in_c, out_c, stride;
  };
  for (const Shape sh : {Shape{9, 9, 3, 8, 2}, Shape{5, 7, 8, 8, 1}, Shape{5, 5, 6, 4, 1}}) {
    SCOPED_TRACE(::testing::Message() << sh.in_c << " -> " << sh.out_c << " stride " << sh.stride);
    const int out_h = (sh.h + sh.stride - 1) / sh.stride,
              out_w = (sh.w + sh.stride - 1) / sh.stride;
    SingleOpGraph g;
    const int t_in = g.AddTensor(DataType::kInt8, {1, sh.h, sh.w, sh.in_c}, {0.05f}, {3});
    const int t_w =
        g.AddConstant(DataType::kInt8, {sh.out_c, 3, 3, sh.in_c},
                      RandomInt8(rng, 9 * sh.in_c * sh.out_c, -127, 127),
                      std::vector<float>(sh.out_c, 0.01f), std::vector<int64_t>(sh.out_c, 0), 0);
    const int t_out = g.AddTensor(DataType::kInt8, {1, out_h, out_w, sh.out_c}, {0.02f}, {-4});
    ConvAttrs attrs;
    attrs.stride_h = attrs.stride_w = sh.stride;
    g.SetNode(OpKind::kConv2D, {t_in, t_w}, {t_out}, attrs);
    const auto in = AsBytes(RandomInt8(rng, sh.h * sh.w * sh.in_c));
    const auto expected = g.Run({in});
    auto op = GetOpDefinition(OpKind::kConv2D).prepare(g.graph(), g.graph().nodes[0]);
    ASSERT_TRUE(op.ok());
    // The gathering kernel was chosen: three windows, widened to int16, and under
    // 4 channels gathered as int8 first (with a table of their offsets) and the
    // filter padded to whole groups (kernels/conv_im2col_s8.c).
    const int64_t n = 9 * sh.in_c, n4 = (n + 3) / 4 * 4;
    EXPECT_EQ((*op)->ScratchBytes(), sh.in_c % 4 == 0 ? 6 * n : n4 * (n4 > n ? 11 + sh.out_c : 11));
    const int64_t offset = (*op)->InPlaceOffset(0);
    ASSERT_GE(offset, 0);
    EXPECT_EQ(*g.RunOverlapped(in, offset), expected);
  }
}

TEST(ConvErrors, FilterThatDoesNotFitNamesOperatorAndShapes) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, 4, 4, 3}, {0.1f}, {0});
  const int t_w =
      g.AddConstant(DataType::kInt8, {2, 3, 3, 2}, std::vector<int8_t>(36, 1), {0.1f}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {1, 4, 4, 2}, {0.1f}, {0});
  g.SetNode(OpKind::kConv2D, {t_in, t_w}, {t_out}, ConvAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("CONV_2D"), std::string::npos) << ex.status().message();
  EXPECT_NE(ex.status().message().find("2x3x3x2"), std::string::npos) << ex.status().message();
}

TEST(ConvErrors, ZeroStrideIsRefused) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, 4, 4, 1}, {0.1f}, {0});
  const int t_w = g.AddConstant(DataType::kInt8, {1, 1, 1, 1}, std::vector<int8_t>{1}, {0.1f}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {1, 4, 4, 1}, {0.1f}, {0});
  ConvAttrs a;
  a.stride_h = 0;
  g.SetNode(OpKind::kConv2D, {t_in, t_w}, {t_out}, a);
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("each must be in 1..65536"), std::string::npos)
      << ex.status().message();
}

TEST(ConvErrors, WrongOutputShapeIsRefused) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, 4, 4, 1}, {0.1f}, {0});
  const int t_w =
      g.AddConstant(DataType::kInt8, {1, 3, 3, 1}, std::vector<int8_t>(9, 1), {0.1f}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {1, 4, 4, 1}, {0.1f}, {0});
  ConvAttrs a;
  a.padding = Padding::kValid;  // gives 2x2, not 4x4
  g.SetNode(OpKind::kConv2D, {t_in, t_w}, {t_out}, a);
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("expected 1x2x2x1"), std::string::npos)
      << ex.status().message();
}

}  // namespace
}  // namespace mcunet::testing

namespace mcunet::testing {
namespace {

// The row-wise in-place offset equals the pixel-by-pixel simulation on random
// geometries (strides, paddings, kernel sizes, channel ratios, batches).
TEST(ConvInPlace, FastOffsetEqualsTheExactSimulation) {
  std::mt19937 rng(2);
  for (int trial = 0; trial < 3000; ++trial) {
    mcunet_conv_params p{};
    p.batches = 1 + static_cast<int32_t>(rng() % 2);
    p.in_h = 1 + static_cast<int32_t>(rng() % 12), p.in_w = 1 + static_cast<int32_t>(rng() % 12);
    p.k_h = 1 + static_cast<int32_t>(rng() % 7), p.k_w = 1 + static_cast<int32_t>(rng() % 7);
    p.stride_h = 1 + static_cast<int32_t>(rng() % 3),
    p.stride_w = 1 + static_cast<int32_t>(rng() % 3);
    p.dilation_h = p.dilation_w = 1;
    p.pad_top = static_cast<int32_t>(rng() % (p.k_h + 1));
    p.pad_left = static_cast<int32_t>(rng() % (p.k_w + 1));
    const int pad_bottom = static_cast<int>(rng() % (p.k_h + 1));
    const int pad_right = static_cast<int>(rng() % (p.k_w + 1));
    const int span_h = p.in_h + p.pad_top + pad_bottom - p.k_h;
    const int span_w = p.in_w + p.pad_left + pad_right - p.k_w;
    if (span_h < 0 || span_w < 0) continue;
    p.out_h = span_h / p.stride_h + 1, p.out_w = span_w / p.stride_w + 1;
    const int64_t in_c = 1 + rng() % 16, out_c = 1 + rng() % 16;
    ASSERT_EQ(WindowedKernelOffset(p, in_c, out_c), WindowedKernelOffsetExact(p, in_c, out_c))
        << "trial " << trial;
  }
}

}  // namespace
}  // namespace mcunet::testing

namespace mcunet::testing {
namespace {

// The generated C's filter for the DSP blocks: each channel pair's rows take
// turns four values at a time; an odd last row stays whole.
TEST(ConvFilterPairs, InterleavesRowsFourValuesAtATime) {
  std::vector<int8_t> rows(24);
  for (int r = 0; r < 3; ++r) {
    for (int i = 0; i < 8; ++i)
      rows[static_cast<size_t>(8 * r + i)] = static_cast<int8_t>(10 * r + i);
  }
  const std::vector<uint8_t> expected = {0,  1,  2,  3,  10, 11, 12, 13, 4,  5,  6,  7,
                                         14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 27};
  EXPECT_EQ(FilterRowsInPairs(rows.data(), 3, 8), expected);
}

// The generated C interleaves the filter for cores with SIMD32 only (their DSP
// blocks; checked under QEMU, tests/qemu/kernel_grid_test.cc), and stores the
// model's order for the others: the portable kernels read rows whatever
// dsp_layout says. 1x1 and gathered 3x3, odd channel counts, with and
// without bias.
TEST(ConvFilterPairs, PortableKernelsReadRowsWhateverTheFlag) {
  std::mt19937 rng(21);
  for (const auto [k, in_c, out_c, with_bias] :
       {std::tuple{1, 8, 7, true}, std::tuple{1, 12, 6, false}, std::tuple{3, 4, 5, true},
        std::tuple{3, 8, 2, false}, std::tuple{1, 4, 1, true}}) {
    SCOPED_TRACE(::testing::Message() << k << "x" << k << " " << in_c << " -> " << out_c);
    const int n = k * k * in_c, h = 4, w = 5;
    mcunet_conv_params p{};
    p.batches = 1, p.in_h = p.out_h = h, p.in_w = p.out_w = w, p.in_c = p.filter_in_c = in_c;
    p.out_c = out_c, p.k_h = p.k_w = k, p.stride_h = p.stride_w = 1;
    p.dilation_h = p.dilation_w = 1, p.pad_top = p.pad_left = k / 2;
    p.input_offset = 7, p.output_offset = -3, p.act_min = -128, p.act_max = 127, p.widen = 1;
    std::vector<int32_t> multiplier(out_c), shift(out_c), bias(out_c);
    for (int c = 0; c < out_c; ++c) {
      multiplier[c] = (1 << 30) + static_cast<int32_t>(rng() % (1u << 30));
      shift[c] = -7 - static_cast<int32_t>(rng() % 4);
      bias[c] = static_cast<int32_t>(rng() % 20001) - 10000;
    }
    p.multiplier = multiplier.data(), p.shift = shift.data();
    const auto input = RandomInt8(rng, h * w * in_c);
    const auto filter = RandomInt8(rng, out_c * n, -127, 127);
    std::vector<int8_t> scratch(static_cast<size_t>(16 * n + 64)), plain(h * w * out_c),
        flagged(h * w * out_c);
    const auto kernel = k == 1 ? mcunet_conv1x1_s8 : mcunet_conv2d_im2col_s8;
    const int32_t* b = with_bias ? bias.data() : nullptr;
    ASSERT_EQ(kernel(&p, input.data(), filter.data(), b, plain.data(), scratch.data()), 0);
    p.dsp_layout = 1;
    ASSERT_EQ(kernel(&p, input.data(), filter.data(), b, flagged.data(), scratch.data()), 0);
    EXPECT_EQ(flagged, plain);
  }
}

}  // namespace
}  // namespace mcunet::testing
