// CONV_2D and DEPTHWISE_CONV_2D 16x8 (int16 activations, int8 weights, int64
// bias) over a grid of shapes, strides, dilations, paddings, channel counts,
// depth multipliers and scales (saturating, rescaling up), against the slow
// reference of the quantisation spec; the in-place rule, the refusals and the
// emitted calls.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"
#include "ops/in_place.h"

namespace mcunet::testing {
namespace {

struct Conv16Case {
  bool depthwise;
  int batches, in_h, in_w, in_c, out_c, k_h, k_w, stride, dilation;
  Padding padding;
  Activation activation;
  bool per_channel, bias;
  float out_scale_factor;  // output scale relative to the typical sum's
  std::string Name(size_t index) const {
    return fmt::format("{}_{}_b{}_{}x{}x{}_oc{}_k{}x{}_s{}_d{}_{}_act{}{}{}",
                       depthwise ? "dw" : "conv", index, batches, in_h, in_w, in_c, out_c, k_h, k_w,
                       stride, dilation, padding == Padding::kSame ? "same" : "valid",
                       static_cast<int>(activation), per_channel ? "_pc" : "", bias ? "_bias" : "");
  }
};

int OutSize(Padding padding, int in, int k, int stride, int dilation) {
  const int eff = (k - 1) * dilation + 1;
  return padding == Padding::kSame ? (in + stride - 1) / stride : (in - eff + stride) / stride;
}

std::vector<int16_t> RandomInt16(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> d(-32768, 32767);
  std::vector<int16_t> v(n);
  for (auto& x : v) x = static_cast<int16_t>(d(rng));
  return v;
}

// The spec with zero points 0: taps outside the image contribute nothing; the
// sum x * w plus the bias, exact in int64, requantised per channel with the
// 16x8 (int64) requantisation, clamped to the activation's int16 range.
std::vector<int16_t> Reference(const Conv16Case& c, const std::vector<int16_t>& in,
                               const std::vector<int8_t>& w, const std::vector<int64_t>& bias,
                               float s_in, const std::vector<float>& s_w, float s_out, int out_h,
                               int out_w) {
  const int eff_h = (c.k_h - 1) * c.dilation + 1, eff_w = (c.k_w - 1) * c.dilation + 1;
  const int pad_t = std::max(0, ((out_h - 1) * c.stride + eff_h - c.in_h)) / 2;
  const int pad_l = std::max(0, ((out_w - 1) * c.stride + eff_w - c.in_w)) / 2;
  int32_t lo, hi;
  RefActivationRange(static_cast<int>(c.activation), s_out, 0, &lo, &hi, -32768, 32767);
  std::vector<int16_t> out(static_cast<size_t>(c.batches) * out_h * out_w * c.out_c);
  const int mult = c.depthwise ? c.out_c / c.in_c : 1;
  for (int b = 0; b < c.batches; ++b)
    for (int oy = 0; oy < out_h; ++oy)
      for (int ox = 0; ox < out_w; ++ox)
        for (int oc = 0; oc < c.out_c; ++oc) {
          int64_t acc = c.bias ? bias[oc] : 0;
          for (int ky = 0; ky < c.k_h; ++ky)
            for (int kx = 0; kx < c.k_w; ++kx) {
              const int iy = oy * c.stride - pad_t + ky * c.dilation;
              const int ix = ox * c.stride - pad_l + kx * c.dilation;
              if (iy < 0 || iy >= c.in_h || ix < 0 || ix >= c.in_w) continue;
              const size_t pixel = ((static_cast<size_t>(b) * c.in_h + iy) * c.in_w + ix) * c.in_c;
              if (c.depthwise) {
                acc += int64_t{in[pixel + oc / mult]} *
                       w[(static_cast<size_t>(ky) * c.k_w + kx) * c.out_c + oc];
              } else {
                for (int ic = 0; ic < c.in_c; ++ic) {
                  acc += int64_t{in[pixel + ic]} *
                         w[((static_cast<size_t>(oc) * c.k_h + ky) * c.k_w + kx) * c.in_c + ic];
                }
              }
            }
          int32_t m;
          int shift;
          RefQuantizeMultiplier(static_cast<double>(s_in) * s_w[c.per_channel ? oc : 0] / s_out, &m,
                                &shift);
          out[((static_cast<size_t>(b) * out_h + oy) * out_w + ox) * c.out_c + oc] =
              static_cast<int16_t>(Clamp(RefRequantize64(acc, m, shift), lo, hi));
        }
  return out;
}

std::vector<Conv16Case> Grid() {
  std::vector<Conv16Case> cases;
  std::mt19937 rng(16);
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                             Activation::kReluN1To1};
  // 1: about the int16 range; 0.2: many outputs saturate; 30: small outputs;
  // 0.001: a rescale factor above one.
  const float factors[] = {1.0f, 0.2f, 30.0f, 0.001f};
  for (bool dw : {false, true})
    for (int k : {1, 3, 5})
      for (int stride : {1, 2})
        for (int dilation : {1, 2})
          for (Padding pad : {Padding::kSame, Padding::kValid}) {
            Conv16Case c;
            c.depthwise = dw;
            c.batches = 1 + (rng() % 4 == 0);
            c.in_h = 3 + rng() % 7, c.in_w = 3 + rng() % 8;
            c.in_c = std::vector<int>{1, 3, 4, 7}[rng() % 4];
            c.out_c = dw ? c.in_c * (1 + rng() % 2) : std::vector<int>{1, 3, 5, 8}[rng() % 4];
            c.k_h = k, c.k_w = (k == 5 && rng() % 2) ? 3 : k;
            c.stride = stride, c.dilation = dilation, c.padding = pad;
            c.activation = acts[rng() % 4];
            c.per_channel = rng() % 4 != 0, c.bias = rng() % 4 != 0;
            c.out_scale_factor = factors[rng() % 4];
            if (OutSize(pad, c.in_h, c.k_h, stride, dilation) < 1 ||
                OutSize(pad, c.in_w, c.k_w, stride, dilation) < 1) {
              continue;
            }
            cases.push_back(c);
          }
  return cases;
}

// A one-operator graph of case `c` with the given weights and bias.
SingleOpGraph Conv16Graph(const Conv16Case& c, float s_in, const std::vector<float>& s_w,
                          float s_out, const std::vector<int8_t>& w,
                          const std::vector<int64_t>& bias, int out_h, int out_w) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {c.batches, c.in_h, c.in_w, c.in_c}, {s_in}, {0});
  const std::vector<int32_t> w_shape = c.depthwise
                                           ? std::vector<int32_t>{1, c.k_h, c.k_w, c.out_c}
                                           : std::vector<int32_t>{c.out_c, c.k_h, c.k_w, c.in_c};
  const int t_w = g.AddConstant(DataType::kInt8, w_shape, w, s_w,
                                std::vector<int64_t>(s_w.size(), 0), c.depthwise ? 3 : 0);
  std::vector<float> s_b;
  for (float s : s_w) s_b.push_back(s_in * s);
  const int t_b = c.bias ? g.AddConstant(DataType::kInt64, {c.out_c}, bias, s_b,
                                         std::vector<int64_t>(s_b.size(), 0))
                         : -1;
  const int t_out = g.AddTensor(DataType::kInt16, {c.batches, out_h, out_w, c.out_c}, {s_out}, {0});
  ConvAttrs attrs;
  attrs.padding = c.padding;
  attrs.stride_h = attrs.stride_w = c.stride;
  attrs.dilation_h = attrs.dilation_w = c.dilation;
  attrs.depth_multiplier = c.depthwise ? c.out_c / c.in_c : 1;
  attrs.activation = c.activation;
  std::vector<int> inputs = {t_in, t_w};
  if (c.bias) inputs.push_back(t_b);
  g.SetNode(c.depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D, inputs, {t_out}, attrs);
  return g;
}

class Conv16GridTest : public ::testing::TestWithParam<Conv16Case> {};

TEST_P(Conv16GridTest, MatchesSpecReference) {
  const Conv16Case c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.Name(0))));
  std::uniform_real_distribution<float> unit(0.5f, 2.0f);
  const int out_h = OutSize(c.padding, c.in_h, c.k_h, c.stride, c.dilation);
  const int out_w = OutSize(c.padding, c.in_w, c.k_w, c.stride, c.dilation);
  const float s_in = 3e-4f * unit(rng);
  std::vector<float> s_w(c.per_channel ? c.out_c : 1);
  for (auto& s : s_w) s = 0.008f * unit(rng);
  const int taps = c.k_h * c.k_w * (c.depthwise ? 1 : c.in_c);
  const float s_out = c.out_scale_factor * s_in * s_w[0] * std::sqrt(float(taps)) * 128;
  const std::vector<int8_t> w = RandomInt8(
      rng, static_cast<size_t>(c.k_h) * c.k_w * c.out_c * (c.depthwise ? 1 : c.in_c), -127, 127);
  std::vector<int64_t> bias(c.out_c);
  for (auto& b : bias) b = static_cast<int64_t>(rng() % 4000001) - 2000000;
  const auto in = RandomInt16(rng, static_cast<size_t>(c.batches) * c.in_h * c.in_w * c.in_c);

  const SingleOpGraph g = Conv16Graph(c, s_in, s_w, s_out, w, bias, out_h, out_w);
  const auto expected = AsBytes(Reference(c, in, w, bias, s_in, s_w, s_out, out_h, out_w));
  EXPECT_EQ(g.Run({AsBytes(in)}), expected);
  // In place at the stated offset, and apart.
  const auto in_place = g.RunOverlapped(AsBytes(in));
  ASSERT_TRUE(in_place.has_value());
  EXPECT_EQ(*in_place, expected);
  EXPECT_EQ(*g.RunOverlapped(AsBytes(in), static_cast<int64_t>(expected.size())), expected);
}

INSTANTIATE_TEST_SUITE_P(Grid, Conv16GridTest, ::testing::ValuesIn(Grid()),
                         [](const auto& info) { return info.param.Name(info.index); });

// The stated offset is tight to a pixel: a 3x3 depthwise layer over rows of w
// pixels may start its output one row and two pixels (of two bytes per channel)
// below its input, and a pixel and an element closer overwrites input the same
// window still reads.
TEST(Conv16InPlace, AnElementCloserThanTheStatedOffsetCorruptsTheOutput) {
  std::mt19937 rng(5);
  const Conv16Case c{true, 1,     6,   9, 4, 4, 3, 3, 1, 1, Padding::kSame, Activation::kNone,
                     true, false, 1.0f};
  const std::vector<float> s_w = {0.01f, 0.02f, 0.015f, 0.03f};
  const SingleOpGraph g =
      Conv16Graph(c, 3e-4f, s_w, 0.02f, RandomInt8(rng, 36, -127, 127), {}, 6, 9);
  const auto in = AsBytes(RandomInt16(rng, 6 * 9 * 4));
  const auto expected = g.Run({in});
  auto op = GetOpDefinition(OpKind::kDepthwiseConv2D).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  const int64_t offset = (*op)->InPlaceOffset(0);
  EXPECT_EQ(offset, (9 + 2) * 4 * 2);
  EXPECT_EQ(*g.RunOverlapped(in, offset), expected);
  EXPECT_NE(*g.RunOverlapped(in, offset - 4 * 2 - 2), expected);
}

// A small 16x8 layer whose bias has the given type.
SingleOpGraph SmallLayer(bool depthwise, DataType bias_type, int64_t input_zp = 0) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {1, 3, 3, 2}, {3e-4f}, {input_zp});
  const int t_w = depthwise
                      ? g.AddConstant(DataType::kInt8, {1, 1, 1, 2}, std::vector<int8_t>{3, -4},
                                      {0.01f, 0.02f}, {0, 0}, 3)
                      : g.AddConstant(DataType::kInt8, {2, 1, 1, 2},
                                      std::vector<int8_t>{3, -4, 5, 6}, {0.01f, 0.02f}, {0, 0}, 0);
  const int t_b = bias_type == DataType::kInt64
                      ? g.AddConstant(DataType::kInt64, {2}, std::vector<int64_t>{7, -7})
                      : g.AddConstant(DataType::kInt32, {2}, std::vector<int32_t>{7, -7});
  const int t_out = g.AddTensor(DataType::kInt16, {1, 3, 3, 2}, {1e-3f}, {0});
  g.SetNode(depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D, {t_in, t_w, t_b}, {t_out},
            ConvAttrs{});
  return g;
}

TEST(Conv16Errors, Int32BiasIsRefusedNamingTheOperator) {
  for (bool dw : {false, true}) {
    auto ex = SmallLayer(dw, DataType::kInt32).Build();
    ASSERT_FALSE(ex.ok());
    EXPECT_NE(ex.status().message().find(
                  fmt::format("operator 0 ({}): input 2 (tensor 2 't2') is int32, expected int64",
                              dw ? "DEPTHWISE_CONV_2D" : "CONV_2D")),
              std::string::npos)
        << ex.status().message();
  }
}

TEST(Conv16Errors, NonzeroInputZeroPointIsRefused) {
  auto ex = SmallLayer(false, DataType::kInt64, 4).Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find(
                "operator 0 (CONV_2D): tensor 0 't0' is int16 with zero point 4, expected 0"),
            std::string::npos)
      << ex.status().message();
}

TEST(Conv16Errors, RescaleOf128OrMoreIsRefused) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {1, 2, 2, 1}, {1.0f}, {0});
  const int t_w =
      g.AddConstant(DataType::kInt8, {1, 1, 1, 1}, std::vector<int8_t>{1}, {1.0f}, {0}, 3);
  const int t_out = g.AddTensor(DataType::kInt16, {1, 2, 2, 1}, {1.0f / 256}, {0});
  g.SetNode(OpKind::kDepthwiseConv2D, {t_in, t_w}, {t_out}, ConvAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("operator 0 (DEPTHWISE_CONV_2D): output channel 0 "
                                       "rescales by 0.5 x 2^9"),
            std::string::npos)
      << ex.status().message();
}

TEST(Conv16Emit, CallsTheInt16Kernels) {
  for (bool dw : {false, true}) {
    const SingleOpGraph g = SmallLayer(dw, DataType::kInt64);
    const Node& node = g.graph().nodes[0];
    auto op = GetOpDefinition(node.kind).prepare(g.graph(), node);
    ASSERT_TRUE(op.ok()) << op.status().message();
    EmitNames names;
    names.prefix = "m_l0";
    names.inputs = {"in", "w", "b"};
    names.outputs = {"out"};
    const EmittedCall call = (*op)->Emit(names);
    EXPECT_EQ(call.kernel_file, dw ? "depthwise_conv_s16.c" : "conv_s16.c");
    EXPECT_EQ(call.call, fmt::format("{}(&m_l0_params, (const int16_t *)(in), (const int8_t *)(w), "
                                     "(const int64_t *)(b), (int16_t *)(out))",
                                     dw ? "mcunet_depthwise_conv2d_s16" : "mcunet_conv2d_s16"));
    for (const char* field : {".act_min = -32768", ".act_max = 32767", ".in_c = 2", ".out_c = 2"}) {
      EXPECT_NE(call.definitions.find(field), std::string::npos) << field << "\n"
                                                                 << call.definitions;
    }
  }
}

}  // namespace
}  // namespace mcunet::testing
