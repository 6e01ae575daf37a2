// The int8 activations computed through a 256-entry table (RELU, RELU_N1_TO_1, NEG,
// RELU6, LEAKY_RELU, ABS, HARD_SWISH, LOGISTIC, TANH): every input value against the
// real function, the table kernel in place, the errors and the emitted C. Their
// bytes against TF Lite Micro's are in tests/golden_ops (golden_ops_test).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "kernels/single_op.h"
#include "test_data.h"
#include "tflite/reader.h"

namespace mcunet::testing {
namespace {

struct Quant {
  float scale;
  int zero_point;
};

// All 256 int8 values through a one-operator graph of `kind`.
std::vector<int8_t> RunAllValues(OpKind kind, Quant in, Quant out, Attributes attrs = {}) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, 16, 16}, {in.scale}, {in.zero_point});
  const int t_out = g.AddTensor(DataType::kInt8, {1, 16, 16}, {out.scale}, {out.zero_point});
  g.SetNode(kind, {t_in}, {t_out}, attrs);
  std::vector<uint8_t> input(256);
  for (int v = 0; v < 256; ++v) input[v] = static_cast<uint8_t>(v - 128);
  const auto bytes = g.Run({input});
  return std::vector<int8_t>(bytes.begin(), bytes.end());
}

// Each output within `tolerance` steps of the real function, quantised.
void ExpectNearReal(OpKind kind, Quant in, Quant out, const std::function<double(double)>& f,
                    int tolerance, Attributes attrs = {}) {
  const auto got = RunAllValues(kind, in, out, attrs);
  ASSERT_EQ(got.size(), 256u);
  for (int v = -128; v <= 127; ++v) {
    const double real = f(in.scale * (v - in.zero_point));
    const double q = std::clamp(std::round(real / out.scale) + out.zero_point, -128.0, 127.0);
    EXPECT_NEAR(got[v + 128], q, tolerance) << OpKindName(kind) << " input " << v;
  }
}

TEST(Activations, ReluRequantisesAndClampsAtTheOutputZeroPoint) {
  ExpectNearReal(
      OpKind::kRelu, {0.05f, -20}, {0.03f, -128}, [](double x) { return std::max(0.0, x); }, 1);
  // Equal quantisation: the exact identity above the zero point (hand-derived).
  const auto got = RunAllValues(OpKind::kRelu, {0.04f, 5}, {0.04f, 5});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(got[v + 128], std::max(v, 5)) << v;
}

TEST(Activations, Relu6ClampsRawValuesToZeroAndSixInInputSteps) {
  // 6 / 0.03 = 200 steps above the zero point -50: 150.
  const auto got = RunAllValues(OpKind::kRelu6, {0.03f, -50}, {0.03f, -50});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(got[v + 128], std::clamp(v, -50, 127)) << v;
  const auto narrow = RunAllValues(OpKind::kRelu6, {0.1f, -30}, {0.1f, -30});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(narrow[v + 128], std::clamp(v, -30, 30)) << v;
}

// TF Lite's int8 RELU_N1_TO_1 (TF Lite Micro has none): requantised, then clamped
// to -1 and 1 in output steps.
TEST(Activations, ReluN1To1RequantisesAndClampsToPlusMinusOne) {
  ExpectNearReal(
      OpKind::kReluN1To1, {0.02f, 3}, {0.01f, -7},
      [](double x) { return std::clamp(x, -1.0, 1.0); }, 1);
  // Equal quantisation, 1/64: the identity between -64 and 64 steps (hand-derived).
  const auto got = RunAllValues(OpKind::kReluN1To1, {1.0f / 64, 0}, {1.0f / 64, 0});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(got[v + 128], std::clamp(v, -64, 64)) << v;
  // A coarse output: +-1 lies beyond the int8 range and only that clamps.
  const auto wide = RunAllValues(OpKind::kReluN1To1, {0.001f, 0}, {0.001f, 0});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(wide[v + 128], v) << v;
}

// TF Lite's int8 NEG (TF Lite Micro has float32 only): equal scales, then the
// two zero points' sum less x, clamped. Hand-derived on the shared collection's
// neg_int8 model (scale 0.05, zero points -10 and 9: -1 - x), and the real
// function wherever the clamp does not bite.
TEST(Activations, NegIsTheZeroPointsSumLessTheInput) {
  auto graph = ReadTfliteFile(SourcePath("models/extra/neg_int8.tflite"));
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  auto ex = Executor::Create(*graph, PlanOptions{});
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const int n = 1 * 5 * 7 * 3;
  std::vector<uint8_t> input(n);
  for (int i = 0; i < n; ++i) input[i] = static_cast<uint8_t>(i * 37 % 256);
  ASSERT_TRUE((*ex)->SetInput(0, input).ok());
  ASSERT_TRUE((*ex)->Invoke().ok());
  const auto out = (*ex)->Output(0);
  for (int i = 0; i < n; ++i) {
    const int v = static_cast<int8_t>(input[i]);
    EXPECT_EQ(static_cast<int8_t>(out[i]), std::clamp(-1 - v, -128, 127)) << v;
  }
  ExpectNearReal(
      OpKind::kNeg, {0.1f, 20}, {0.1f, -20}, [](double x) { return -x; }, 0);
  const auto got = RunAllValues(OpKind::kNeg, {0.5f, 100}, {0.5f, 100});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(got[v + 128], std::clamp(200 - v, -128, 127)) << v;
}

TEST(Activations, NegRefusesUnequalScales) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {4}, {0.1f}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {4}, {0.2f}, {0});
  g.SetNode(OpKind::kNeg, {t_in}, {t_out}, {});
  const auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("NEG needs equal input and output scales"),
            std::string::npos)
      << ex.status().message();
}

TEST(Activations, LeakyReluScalesNegativeInputsByAlpha) {
  LeakyReluAttrs a;
  a.alpha = 0.2f;
  ExpectNearReal(
      OpKind::kLeakyRelu, {0.05f, -10}, {0.0315f, -91},
      [](double x) { return x >= 0 ? x : 0.2 * x; }, 1, a);
}

TEST(Activations, AbsIsExactWithEqualScales) {
  const auto got = RunAllValues(OpKind::kAbs, {0.06f, 10}, {0.06f, 10});
  for (int v = -128; v <= 127; ++v) EXPECT_EQ(got[v + 128], std::min(127, std::abs(v - 10) + 10));
  ExpectNearReal(
      OpKind::kAbs, {0.05f, -20}, {0.0288f, -128}, [](double x) { return std::abs(x); }, 1);
}

TEST(Activations, HardSwishFollowsTheRealFunction) {
  ExpectNearReal(
      OpKind::kHardSwish, {0.05f, -10}, {0.0283f, -115},
      [](double x) { return x * std::clamp(x + 3, 0.0, 6.0) / 6; }, 1);
}

TEST(Activations, LogisticAndTanhFollowTheRealFunctions) {
  for (const Quant in : {Quant{0.05f, -10}, Quant{0.1f, 30}, Quant{0.01f, 0}}) {
    ExpectNearReal(
        OpKind::kLogistic, in, {1.0f / 256, -128}, [](double x) { return 1 / (1 + std::exp(-x)); },
        1);
    ExpectNearReal(
        OpKind::kTanh, in, {1.0f / 128, 0}, [](double x) { return std::tanh(x); }, 1);
  }
}

// The table is read element by element, so the output may overwrite its input.
TEST(Activations, TableLookupRunsInPlace) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {3, 7}, {0.05f}, {-10});
  const int t_out = g.AddTensor(DataType::kInt8, {3, 7}, {1.0f / 256}, {-128});
  g.SetNode(OpKind::kLogistic, {t_in}, {t_out}, {});
  std::mt19937 rng(3);
  const auto in = AsBytes(RandomInt8(rng, 21));
  const auto expected = g.Run({in});
  EXPECT_EQ(*g.RunOverlapped(in), expected);
  auto ex = g.Build();
  ASSERT_TRUE(ex.ok());
  const EmittedCall c = (*ex)->model().op(0).Emit({"l0", {"in"}, {"out"}});
  EXPECT_EQ(c.kernel_file, "lut_s8.c");
  EXPECT_NE(c.definitions.find("static const int8_t l0_table[256]"), std::string::npos);
  EXPECT_NE(c.call.find("mcunet_lut_s8(&l0_params"), std::string::npos);
}

TEST(Activations, ErrorsNameTheOperator) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {4}, {0.05f}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {4}, {1.0f / 256}, {0});
  g.SetNode(OpKind::kLogistic, {t_in}, {t_out}, {});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("LOGISTIC"), std::string::npos) << ex.status().message();
  EXPECT_NE(ex.status().message().find("-128"), std::string::npos) << ex.status().message();

  SingleOpGraph h;
  const int h_in = h.AddTensor(DataType::kInt16, {4}, {0.05f}, {0});
  const int h_out = h.AddTensor(DataType::kInt8, {4}, {0.05f}, {0});
  h.SetNode(OpKind::kTanh, {h_in}, {h_out}, {});
  auto hx = h.Build();
  ASSERT_FALSE(hx.ok());
  EXPECT_NE(hx.status().message().find("TANH"), std::string::npos) << hx.status().message();

  SingleOpGraph s;
  const int s_in = s.AddTensor(DataType::kInt8, {4}, {0.05f}, {0});
  const int s_out = s.AddTensor(DataType::kInt8, {5}, {0.05f}, {0});
  s.SetNode(OpKind::kRelu, {s_in}, {s_out}, {});
  auto sx = s.Build();
  ASSERT_FALSE(sx.ok());
  EXPECT_NE(sx.status().message().find("RELU"), std::string::npos) << sx.status().message();
}

}  // namespace
}  // namespace mcunet::testing
