// FULLY_CONNECTED 16x8 (int16 activations, int8 weights, int64 bias) against the
// spec reference: per-tensor and per-channel weights, batches, odd depths,
// rescales below and above one, saturation, every fused activation; the
// in-place rule, the refusals and the emitted call.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"
#include "ops/op.h"

namespace mcunet::testing {
namespace {

struct Fc16Case {
  int batches, in_depth, out_depth;
  bool per_channel, bias;
  Activation activation;
  float out_scale_factor;  // output scale relative to the typical accumulator's
};

std::vector<int16_t> RandomInt16(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> d(-32768, 32767);
  std::vector<int16_t> v(n);
  for (auto& x : v) x = static_cast<int16_t>(d(rng));
  return v;
}

class Fc16GridTest : public ::testing::TestWithParam<Fc16Case> {};

TEST_P(Fc16GridTest, MatchesSpecReference) {
  const Fc16Case c = GetParam();
  std::mt19937 rng(c.batches * 1000 + c.in_depth * 10 + c.out_depth);
  std::uniform_real_distribution<float> unit(0.5f, 2.0f);
  const float s_in = 3e-4f * unit(rng);
  std::vector<float> s_w(c.per_channel ? c.out_depth : 1);
  for (auto& s : s_w) s = 0.008f * unit(rng);
  // A random sum of n products spreads about sqrt(n) x 2^15 x 2^7 / 2: an output
  // scale of that much real value over 2^15 fills the int16 range.
  const float s_out = c.out_scale_factor * s_in * s_w[0] * std::sqrt(float(c.in_depth)) * 128;
  const auto w = RandomInt8(rng, static_cast<size_t>(c.out_depth) * c.in_depth, -127, 127);
  std::vector<int64_t> bias(c.out_depth);
  for (auto& b : bias) b = static_cast<int64_t>(rng() % 2000001) - 1000000;
  const auto in = RandomInt16(rng, static_cast<size_t>(c.batches) * c.in_depth);

  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {c.batches, c.in_depth}, {s_in}, {0});
  const int t_w = g.AddConstant(DataType::kInt8, {c.out_depth, c.in_depth}, w, s_w,
                                std::vector<int64_t>(s_w.size(), 0));
  const int t_b = g.AddConstant(DataType::kInt64, {c.out_depth}, bias, {s_in * s_w[0]}, {0});
  const int t_out = g.AddTensor(DataType::kInt16, {c.batches, c.out_depth}, {s_out}, {0});
  FullyConnectedAttrs a;
  a.activation = c.activation;
  std::vector<int> inputs = {t_in, t_w};
  if (c.bias) inputs.push_back(t_b);
  g.SetNode(OpKind::kFullyConnected, inputs, {t_out}, a);

  int32_t lo, hi;
  RefActivationRange(static_cast<int>(c.activation), s_out, 0, &lo, &hi, -32768, 32767);
  std::vector<int16_t> expected;
  for (int b = 0; b < c.batches; ++b) {
    for (int o = 0; o < c.out_depth; ++o) {
      int64_t acc = c.bias ? bias[o] : 0;
      for (int i = 0; i < c.in_depth; ++i) {
        acc += int64_t{in[b * c.in_depth + i]} * w[o * c.in_depth + i];
      }
      // Per tensor TFLite multiplies the two float scales in float first.
      const double real = c.per_channel ? static_cast<double>(s_in) * s_w[o] / s_out
                                        : static_cast<double>(s_in * s_w[0]) / s_out;
      int32_t m;
      int shift;
      RefQuantizeMultiplier(real, &m, &shift);
      expected.push_back(static_cast<int16_t>(Clamp(RefRequantize64(acc, m, shift), lo, hi)));
    }
  }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
  EXPECT_EQ(g.RunOverlapped(AsBytes(in)), AsBytes(expected));  // in-place rule
}

std::vector<Fc16Case> Grid() {
  std::vector<Fc16Case> cases;
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                             Activation::kReluN1To1};
  // 0.3: many outputs saturate; 1: about the range; 40: rescales far below the
  // range; 0.002: a rescale factor above one (a left shift).
  const float factors[] = {1.0f, 0.3f, 40.0f, 0.002f};
  int i = 0;
  for (int batches : {1, 3})
    for (int in_depth : {1, 7, 64, 257})
      for (int out_depth : {1, 10, 33}) {
        cases.push_back({batches, in_depth, out_depth, i % 2 == 0, i % 3 != 0, acts[i % 4],
                         factors[(i / 4) % 4]});
        ++i;
      }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Grid, Fc16GridTest, ::testing::ValuesIn(Grid()), [](const auto& info) {
  const Fc16Case& c = info.param;
  return fmt::format("b{}_in{}_out{}{}{}_act{}_f{}", c.batches, c.in_depth, c.out_depth,
                     c.per_channel ? "_pc" : "", c.bias ? "_bias" : "",
                     static_cast<int>(c.activation), info.index);
});

// A 16x8 layer with the given bias type and filter zero point.
SingleOpGraph Fc16Graph(DataType bias_type, int64_t filter_zp = 0) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {2, 3}, {3e-4f}, {0});
  const int t_w =
      g.AddConstant(DataType::kInt8, {4, 3}, std::vector<int8_t>(12, 5), {0.01f}, {filter_zp});
  const int t_b = bias_type == DataType::kInt64
                      ? g.AddConstant(DataType::kInt64, {4}, std::vector<int64_t>(4, 7), {3e-6f})
                      : g.AddConstant(DataType::kInt32, {4}, std::vector<int32_t>(4, 7), {3e-6f});
  const int t_out = g.AddTensor(DataType::kInt16, {2, 4}, {1e-3f}, {0});
  g.SetNode(OpKind::kFullyConnected, {t_in, t_w, t_b}, {t_out}, FullyConnectedAttrs{});
  return g;
}

// The int8 rule (each output row ends below the input row still being read)
// with two bytes per element.
TEST(Fc16InPlace, OffsetCountsTwoBytesPerElement) {
  const SingleOpGraph g = Fc16Graph(DataType::kInt64);
  auto op = GetOpDefinition(OpKind::kFullyConnected).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  // Rows of 3 inputs, 4 outputs: after row t the output ends at (t + 1) x 8
  // bytes, the next read starts at t x 6; the worst is t = 1: 16 - 6.
  EXPECT_EQ((*op)->InPlaceOffset(0), 10);
  EXPECT_EQ((*op)->InPlaceOffset(1), kNoInPlace);
}

TEST(Fc16Errors, Int32BiasIsRefusedNamingTheOperator) {
  auto ex = Fc16Graph(DataType::kInt32).Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("operator 0 (FULLY_CONNECTED): bias (tensor 2 't2') is "
                                       "int32; a 16x8 FULLY_CONNECTED (int16 input) takes an "
                                       "int64 bias or none"),
            std::string::npos)
      << ex.status().message();
}

TEST(Fc16Errors, AsymmetricWeightsAreRefused) {
  auto ex = Fc16Graph(DataType::kInt64, 3).Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(
      ex.status().message().find("operator 0 (FULLY_CONNECTED): filter zero point 3 is not 0"),
      std::string::npos)
      << ex.status().message();
}

TEST(Fc16Errors, Int8OutputOfAnInt16InputIsRefused) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {1, 3}, {3e-4f}, {0});
  const int t_w = g.AddConstant(DataType::kInt8, {2, 3}, std::vector<int8_t>(6, 1), {0.01f}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {1, 2}, {0.1f}, {0});
  g.SetNode(OpKind::kFullyConnected, {t_in, t_w}, {t_out}, FullyConnectedAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("output 0 (tensor 2 't2') is int8, expected int16"),
            std::string::npos)
      << ex.status().message();
}

TEST(Fc16Errors, RescaleOf128OrMoreIsRefused) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {1, 3}, {1.0f}, {0});
  const int t_w = g.AddConstant(DataType::kInt8, {2, 3}, std::vector<int8_t>(6, 1), {1.0f}, {0});
  const int t_out = g.AddTensor(DataType::kInt16, {1, 2}, {1.0f / 256}, {0});
  g.SetNode(OpKind::kFullyConnected, {t_in, t_w}, {t_out}, FullyConnectedAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("rescales by 256"), std::string::npos)
      << ex.status().message();
}

TEST(Fc16Errors, BiasBeyondTheInt64RequantisationRangeIsRefused) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt16, {1, 3}, {3e-4f}, {0});
  const int t_w = g.AddConstant(DataType::kInt8, {2, 3}, std::vector<int8_t>(6, 1), {0.01f}, {0});
  const int t_b =
      g.AddConstant(DataType::kInt64, {2}, std::vector<int64_t>{0, int64_t{1} << 47}, {3e-6f}, {0});
  const int t_out = g.AddTensor(DataType::kInt16, {1, 2}, {1e-3f}, {0});
  g.SetNode(OpKind::kFullyConnected, {t_in, t_w, t_b}, {t_out}, FullyConnectedAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("output channel 1 could leave the int64 accumulator"),
            std::string::npos)
      << ex.status().message();
}

TEST(Fc16Emit, CallsTheInt16KernelWithAnInt64Bias) {
  const SingleOpGraph g = Fc16Graph(DataType::kInt64);
  auto op = GetOpDefinition(OpKind::kFullyConnected).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EmitNames names;
  names.prefix = "m_l0";
  names.inputs = {"in", "w", "b"};
  names.outputs = {"out"};
  const EmittedCall call = (*op)->Emit(names);
  EXPECT_EQ(call.kernel_file, "fully_connected_s16.c");
  EXPECT_EQ(call.call,
            "mcunet_fully_connected_s16(&m_l0_params, (const int16_t *)(in), "
            "(const int8_t *)(w), (const int64_t *)(b), (int16_t *)(out))");
  for (const char* field : {".batches = 2", ".in_depth = 3", ".out_depth = 4", ".act_min = -32768",
                            ".act_max = 32767", ".per_channel = 0"}) {
    EXPECT_NE(call.definitions.find(field), std::string::npos) << field << "\n" << call.definitions;
  }
}

}  // namespace
}  // namespace mcunet::testing
