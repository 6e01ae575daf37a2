// TRANSPOSE_CONV 16x8 (int16 activations, int8 weights, int64 bias) over a grid
// of kernel sizes, strides, paddings, output sizes, channel counts, activations
// and scales (saturating, rescaling up), against a reference written from the
// quantisation spec as a scatter (each input pixel adds its window to the
// output), so it shares no loop with the kernel's gather; the refusals and the
// emitted call.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct TConv16Case {
  int batches, in_h, in_w, in_c, out_c, k_h, k_w, stride;
  Padding padding;
  int extra;  // output rows and columns beyond the smallest the input size allows
  Activation activation;
  bool per_channel, bias;
  float out_scale_factor;  // output scale relative to the typical sum's
  int OutH() const { return OutSize(in_h, k_h); }
  int OutW() const { return OutSize(in_w, k_w); }
  int OutSize(int in, int k) const {
    // The output sizes whose TFLite padding maps back onto `in` input pixels.
    return padding == Padding::kSame ? (in - 1) * stride + 1 + extra
                                     : (in - 1) * stride + k + extra;
  }
  std::string Name(size_t index) const {
    return fmt::format("tconv_{}_b{}_{}x{}x{}_oc{}_k{}x{}_s{}_{}_e{}_act{}{}{}", index, batches,
                       in_h, in_w, in_c, out_c, k_h, k_w, stride,
                       padding == Padding::kSame ? "same" : "valid", extra,
                       static_cast<int>(activation), per_channel ? "_pc" : "", bias ? "_bias" : "");
  }
};

std::vector<int16_t> RandomInt16(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> d(-32768, 32767);
  std::vector<int16_t> v(n);
  for (auto& x : v) x = static_cast<int16_t>(d(rng));
  return v;
}

// The spec with zero points 0: input pixel (iy, ix) adds x * w[oc][ky][kx] to
// output (iy * stride - pad + ky, ix * stride - pad + kx) where that lies in the
// output, pad = half of what the full scatter overhangs the output (rounded
// down); then the bias, the 16x8 int64 requantisation per channel and the
// activation's int16 clamp.
std::vector<int16_t> Reference(const TConv16Case& c, const std::vector<int16_t>& in,
                               const std::vector<int8_t>& w, const std::vector<int64_t>& bias,
                               float s_in, const std::vector<float>& s_w, float s_out) {
  const int out_h = c.OutH(), out_w = c.OutW();
  const int pad_t = std::max(0, (c.in_h - 1) * c.stride + c.k_h - out_h) / 2;
  const int pad_l = std::max(0, (c.in_w - 1) * c.stride + c.k_w - out_w) / 2;
  const size_t out_size = static_cast<size_t>(c.batches) * out_h * out_w * c.out_c;
  std::vector<int64_t> sums(out_size, 0);
  for (int b = 0; b < c.batches; ++b)
    for (int iy = 0; iy < c.in_h; ++iy)
      for (int ix = 0; ix < c.in_w; ++ix)
        for (int ic = 0; ic < c.in_c; ++ic) {
          const int64_t x =
              in[((static_cast<size_t>(b) * c.in_h + iy) * c.in_w + ix) * c.in_c + ic];
          for (int ky = 0; ky < c.k_h; ++ky)
            for (int kx = 0; kx < c.k_w; ++kx) {
              const int oy = iy * c.stride - pad_t + ky, ox = ix * c.stride - pad_l + kx;
              if (oy < 0 || oy >= out_h || ox < 0 || ox >= out_w) continue;
              for (int oc = 0; oc < c.out_c; ++oc) {
                sums[((static_cast<size_t>(b) * out_h + oy) * out_w + ox) * c.out_c + oc] +=
                    x * w[((static_cast<size_t>(oc) * c.k_h + ky) * c.k_w + kx) * c.in_c + ic];
              }
            }
        }
  int32_t lo, hi;
  RefActivationRange(static_cast<int>(c.activation), s_out, 0, &lo, &hi, -32768, 32767);
  std::vector<int16_t> out(out_size);
  for (size_t i = 0; i < out_size; ++i) {
    const int oc = static_cast<int>(i % c.out_c);
    int32_t m;
    int shift;
    RefQuantizeMultiplier(static_cast<double>(s_in) * s_w[c.per_channel ? oc : 0] / s_out, &m,
                          &shift);
    out[i] = static_cast<int16_t>(
        Clamp(RefRequantize64(sums[i] + (c.bias ? bias[oc] : 0), m, shift), lo, hi));
  }
  return out;
}

std::vector<TConv16Case> Grid() {
  std::vector<TConv16Case> cases;
  std::mt19937 rng(168);
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                             Activation::kReluN1To1};
  // 1: about the int16 range; 0.2: many outputs saturate; 30: small outputs;
  // 0.001: a rescale factor above one.
  const float factors[] = {1.0f, 0.2f, 30.0f, 0.001f};
  for (int k : {1, 2, 3, 4, 5})
    for (int stride : {1, 2, 3})
      for (Padding pad : {Padding::kSame, Padding::kValid})
        for (int extra : {0, 1}) {
          TConv16Case c;
          c.batches = 1 + (rng() % 4 == 0);
          c.in_h = 1 + rng() % 6, c.in_w = 1 + rng() % 7;
          c.in_c = std::vector<int>{1, 2, 3, 5}[rng() % 4];
          c.out_c = std::vector<int>{1, 3, 4, 7}[rng() % 4];
          c.k_h = k, c.k_w = (k > 1 && rng() % 2) ? k - 1 : k;
          c.stride = stride, c.padding = pad;
          c.extra = std::min(extra * static_cast<int>(rng() % stride), stride - 1);
          c.activation = acts[rng() % 4];
          c.per_channel = rng() % 4 != 0, c.bias = rng() % 4 != 0;
          c.out_scale_factor = factors[rng() % 4];
          cases.push_back(c);
        }
  return cases;
}

// A one-operator graph of case `c` with the given weights and bias.
SingleOpGraph TConv16Graph(const TConv16Case& c, float s_in, const std::vector<float>& s_w,
                           float s_out, const std::vector<int8_t>& w,
                           const std::vector<int64_t>& bias, DataType bias_type = DataType::kInt64,
                           int64_t out_zero_point = 0) {
  SingleOpGraph g;
  const std::vector<int32_t> out_shape = {c.batches, c.OutH(), c.OutW(), c.out_c};
  const int t_shape = g.AddConstant(DataType::kInt32, {4}, out_shape);
  const int t_w = g.AddConstant(DataType::kInt8, {c.out_c, c.k_h, c.k_w, c.in_c}, w, s_w,
                                std::vector<int64_t>(s_w.size(), 0), 0);
  const int t_in = g.AddTensor(DataType::kInt16, {c.batches, c.in_h, c.in_w, c.in_c}, {s_in}, {0});
  std::vector<float> s_b;
  for (float s : s_w) s_b.push_back(s_in * s);
  std::vector<int> inputs = {t_shape, t_w, t_in};
  if (c.bias) {
    inputs.push_back(bias_type == DataType::kInt64
                         ? g.AddConstant(DataType::kInt64, {c.out_c}, bias, s_b,
                                         std::vector<int64_t>(s_b.size(), 0))
                         : g.AddConstant(DataType::kInt32, {c.out_c},
                                         std::vector<int32_t>(bias.begin(), bias.end()), s_b,
                                         std::vector<int64_t>(s_b.size(), 0)));
  }
  const int t_out = g.AddTensor(DataType::kInt16, out_shape, {s_out}, {out_zero_point});
  ConvAttrs attrs;
  attrs.padding = c.padding;
  attrs.stride_h = attrs.stride_w = c.stride;
  attrs.activation = c.activation;
  g.SetNode(OpKind::kTransposeConv, inputs, {t_out}, attrs);
  return g;
}

class TConv16GridTest : public ::testing::TestWithParam<TConv16Case> {};

TEST_P(TConv16GridTest, MatchesSpecReference) {
  const TConv16Case c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.Name(0))));
  std::uniform_real_distribution<float> unit(0.5f, 2.0f);
  const float s_in = 3e-4f * unit(rng);
  std::vector<float> s_w(c.per_channel ? c.out_c : 1);
  for (auto& s : s_w) s = 0.008f * unit(rng);
  const int taps = std::max(1, c.k_h * c.k_w / (c.stride * c.stride)) * c.in_c;
  const float s_out = c.out_scale_factor * s_in * s_w[0] * std::sqrt(float(taps)) * 128;
  const auto w = RandomInt8(rng, static_cast<size_t>(c.out_c) * c.k_h * c.k_w * c.in_c, -127, 127);
  std::vector<int64_t> bias(c.out_c);
  for (auto& b : bias) b = static_cast<int64_t>(rng() % 4000001) - 2000000;
  const auto in = RandomInt16(rng, static_cast<size_t>(c.batches) * c.in_h * c.in_w * c.in_c);
  const SingleOpGraph g = TConv16Graph(c, s_in, s_w, s_out, w, bias);
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(Reference(c, in, w, bias, s_in, s_w, s_out)));
}

INSTANTIATE_TEST_SUITE_P(Grid, TConv16GridTest, ::testing::ValuesIn(Grid()),
                         [](const auto& info) { return info.param.Name(info.index); });

// A 2x2 input through a 3x3 filter at stride 2 (SAME, output 3x3), 2 channels.
TConv16Case Small() {
  return {1, 2, 2, 2, 2, 3, 3, 2, Padding::kSame, 0, Activation::kNone, true, true, 1.0f};
}

std::string BuildError(const SingleOpGraph& g) {
  auto ex = g.Build();
  return ex.ok() ? "built" : ex.status().message();
}

// A bias beyond int32 (as 16x8 biases may be): the sums must be int64 all along.
TEST(TConv16Wide, BiasBeyondInt32IsSummedInInt64) {
  const TConv16Case c = Small();
  std::mt19937 rng(40);
  const std::vector<float> s_w = {0.01f, 0.02f};
  const float s_in = 3e-4f, s_out = s_in * s_w[0] * 1099511627776.0f / 20000;
  const std::vector<int64_t> bias = {(int64_t{1} << 40) + 12345, -(int64_t{1} << 39) - 777};
  const auto w = RandomInt8(rng, 36, -127, 127);
  const auto in = RandomInt16(rng, 8);
  const auto expected = Reference(c, in, w, bias, s_in, s_w, s_out);
  EXPECT_EQ(expected[0], 20000);
  EXPECT_EQ(TConv16Graph(c, s_in, s_w, s_out, w, bias).Run({AsBytes(in)}), AsBytes(expected));
}

TEST(TConv16Errors, Int32BiasIsRefusedNamingTheOperator) {
  const SingleOpGraph g = TConv16Graph(Small(), 3e-4f, {0.01f, 0.02f}, 1e-3f,
                                       std::vector<int8_t>(36, 3), {7, -7}, DataType::kInt32);
  EXPECT_NE(BuildError(g).find(
                "operator 0 (TRANSPOSE_CONV): input 3 (tensor 3 't3') is int32, expected int64"),
            std::string::npos)
      << BuildError(g);
}

TEST(TConv16Errors, NonzeroOutputZeroPointIsRefused) {
  const SingleOpGraph g = TConv16Graph(Small(), 3e-4f, {0.01f, 0.02f}, 1e-3f,
                                       std::vector<int8_t>(36, 3), {7, -7}, DataType::kInt64, 5);
  EXPECT_NE(BuildError(g).find("operator 0 (TRANSPOSE_CONV): tensor 4 't4' is int16 with zero "
                               "point 5, expected 0"),
            std::string::npos)
      << BuildError(g);
}

TEST(TConv16Errors, RescaleOf128OrMoreIsRefused) {
  const SingleOpGraph g =
      TConv16Graph(Small(), 1.0f, {1.0f, 1.0f}, 1.0f / 256, std::vector<int8_t>(36, 3), {7, -7});
  EXPECT_NE(
      BuildError(g).find("operator 0 (TRANSPOSE_CONV): output channel 0 rescales by 0.5 x 2^9"),
      std::string::npos)
      << BuildError(g);
}

TEST(TConv16Errors, AnAccumulatorBeyond2To47IsRefused) {
  const SingleOpGraph g = TConv16Graph(Small(), 3e-4f, {0.01f, 0.02f}, 1e-3f,
                                       std::vector<int8_t>(36, 3), {int64_t{1} << 47, 0});
  EXPECT_NE(BuildError(g).find("operator 0 (TRANSPOSE_CONV): output channel 0 could leave the "
                               "int64 accumulator's range"),
            std::string::npos)
      << BuildError(g);
}

TEST(TConv16Emit, CallsTheInt16KernelWithoutScratch) {
  const SingleOpGraph g =
      TConv16Graph(Small(), 3e-4f, {0.01f, 0.02f}, 1e-3f, std::vector<int8_t>(36, 3), {7, -7});
  const Node& node = g.graph().nodes[0];
  auto op = GetOpDefinition(node.kind).prepare(g.graph(), node);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EXPECT_EQ((*op)->ScratchBytes(), 0);
  EmitNames names;
  names.prefix = "m_l0";
  names.inputs = {"shape", "w", "in", "b"};
  names.outputs = {"out"};
  const EmittedCall call = (*op)->Emit(names);
  EXPECT_EQ(call.kernel_file, "transpose_conv_s16.c");
  EXPECT_EQ(call.call,
            "mcunet_transpose_conv_s16(&m_l0_params, (const int16_t *)(in), (const int8_t *)(w), "
            "(const int64_t *)(b), (int16_t *)(out))");
  for (const char* field : {".act_min = -32768", ".act_max = 32767", ".pad_top = 1"}) {
    EXPECT_NE(call.definitions.find(field), std::string::npos) << field << "\n" << call.definitions;
  }
}

}  // namespace
}  // namespace mcunet::testing
