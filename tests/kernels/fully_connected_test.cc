// FULLY_CONNECTED against the spec reference: per-tensor and per-channel weights,
// batches, odd depths, every fused activation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct FcCase {
  int batches, in_depth, out_depth;
  bool per_channel, bias;
  Activation activation;
};

class FcGridTest : public ::testing::TestWithParam<FcCase> {};

TEST_P(FcGridTest, MatchesSpecReference) {
  const FcCase c = GetParam();
  std::mt19937 rng(c.batches * 1000 + c.in_depth * 10 + c.out_depth);
  std::uniform_real_distribution<float> scale(0.002f, 0.05f);
  const float s_in = scale(rng), s_out = scale(rng) * 8;
  const int zp_in = static_cast<int>(rng() % 256) - 128,
            zp_out = static_cast<int>(rng() % 256) - 128;
  std::vector<float> s_w(c.per_channel ? c.out_depth : 1);
  for (auto& s : s_w) s = scale(rng) / 4;
  const auto w = RandomInt8(rng, static_cast<size_t>(c.out_depth) * c.in_depth, -127, 127);
  std::vector<int32_t> bias(c.out_depth);
  for (auto& b : bias) b = static_cast<int32_t>(rng() % 4001) - 2000;
  const auto in = RandomInt8(rng, static_cast<size_t>(c.batches) * c.in_depth);

  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {c.batches, c.in_depth}, {s_in}, {zp_in});
  const int t_w = g.AddConstant(DataType::kInt8, {c.out_depth, c.in_depth}, w, s_w,
                                std::vector<int64_t>(s_w.size(), 0));
  const int t_b = g.AddConstant(DataType::kInt32, {c.out_depth}, bias, {s_in * s_w[0]}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {c.batches, c.out_depth}, {s_out}, {zp_out});
  FullyConnectedAttrs a;
  a.activation = c.activation;
  std::vector<int> inputs = {t_in, t_w};
  if (c.bias) inputs.push_back(t_b);
  g.SetNode(OpKind::kFullyConnected, inputs, {t_out}, a);

  int32_t lo, hi;
  RefActivationRange(static_cast<int>(c.activation), s_out, zp_out, &lo, &hi);
  std::vector<int8_t> expected;
  for (int b = 0; b < c.batches; ++b) {
    for (int o = 0; o < c.out_depth; ++o) {
      int64_t acc = c.bias ? bias[o] : 0;
      for (int i = 0; i < c.in_depth; ++i) {
        acc += (in[b * c.in_depth + i] - zp_in) * w[o * c.in_depth + i];
      }
      // Per tensor TFLite multiplies the two float scales in float first.
      const double real = c.per_channel ? static_cast<double>(s_in) * s_w[o] / s_out
                                        : static_cast<double>(s_in * s_w[0]) / s_out;
      int32_t m;
      int shift;
      RefQuantizeMultiplier(real, &m, &shift);
      expected.push_back(static_cast<int8_t>(
          Clamp(RefRequantize(static_cast<int32_t>(acc), m, shift) + zp_out, lo, hi)));
    }
  }
  EXPECT_EQ(g.Run({AsBytes(in)}), AsBytes(expected));
  EXPECT_EQ(g.RunOverlapped(AsBytes(in)), AsBytes(expected));  // in-place rule
}

std::vector<FcCase> Grid() {
  std::vector<FcCase> cases;
  int i = 0;
  for (int batches : {1, 3})
    for (int in_depth : {1, 7, 64, 257})
      for (int out_depth : {1, 10, 33}) {
        const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6,
                                   Activation::kReluN1To1};
        cases.push_back({batches, in_depth, out_depth, i % 2 == 0, i % 3 != 0, acts[i % 4]});
        ++i;
      }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Grid, FcGridTest, ::testing::ValuesIn(Grid()), [](const auto& info) {
  const FcCase& c = info.param;
  return fmt::format("b{}_in{}_out{}{}{}_act{}", c.batches, c.in_depth, c.out_depth,
                     c.per_channel ? "_pc" : "", c.bias ? "_bias" : "",
                     static_cast<int>(c.activation));
});

}  // namespace
}  // namespace mcunet::testing
