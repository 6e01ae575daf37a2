// float32 SOFTMAX and LOG_SOFTMAX (kernels/softmax_f32.c): our e^x and ln
// against the exact values (double precision) in units in the last place, the
// operators against a double-precision reference of TF Lite's formulas, in
// place, and the refusals. The generated C on the Cortex-M7 gives the host
// runtime's bits (tests/qemu/neg_and_float_softmax_qemu_test.cc).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/mcunet_float_math.h"
#include "kernels/single_op.h"
#include "tflite/reader.h"
#include "tflite/writer.h"

namespace mcunet::testing {
namespace {

// Distance in representable floats between a and the double b rounded to float.
int64_t UlpDistance(float a, double b) {
  const float fb = static_cast<float>(b);
  int32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &fb, 4);
  // Same-sign floats order as their bit patterns.
  if ((ia < 0) != (ib < 0)) return a == fb ? 0 : std::numeric_limits<int64_t>::max();
  return std::abs(static_cast<int64_t>(ia) - ib);
}

TEST(FloatMath, ExpWithinTwoUlpsOverTheNormalRange) {
  int64_t worst = 0;
  for (double x = -87.0; x <= 88.5; x += 0.000731) {
    const float xf = static_cast<float>(x);
    worst = std::max(worst, UlpDistance(mcunet_expf(xf), std::exp(static_cast<double>(xf))));
  }
  EXPECT_LE(worst, 2);
  EXPECT_EQ(mcunet_expf(0.0f), 1.0f);
  EXPECT_EQ(mcunet_expf(-100.0f), 0.0f);
  EXPECT_TRUE(std::isinf(mcunet_expf(100.0f)));
  EXPECT_TRUE(std::isnan(mcunet_expf(std::nanf(""))));
}

TEST(FloatMath, LogWithinTwoUlps) {
  int64_t worst = 0;
  for (double x = 1e-30; x < 1e30; x *= 1.0137) {  // every binade, subnormals apart
    const float xf = static_cast<float>(x);
    worst = std::max(worst, UlpDistance(mcunet_logf(xf), std::log(static_cast<double>(xf))));
  }
  for (double x = 0.5; x < 4.0; x += 0.0000917) {  // around 1, where ln x is small
    const float xf = static_cast<float>(x);
    if (xf == 1.0f) continue;
    worst = std::max(worst, UlpDistance(mcunet_logf(xf), std::log(static_cast<double>(xf))));
  }
  EXPECT_LE(worst, 2);
  EXPECT_EQ(mcunet_logf(1.0f), 0.0f);
  EXPECT_NEAR(mcunet_logf(1e-40f), std::log(1e-40), 1e-5);  // subnormal
  EXPECT_TRUE(std::isinf(mcunet_logf(0.0f)) && mcunet_logf(0.0f) < 0);
  EXPECT_TRUE(std::isnan(mcunet_logf(-1.0f)));
}

// A [rows, depth] float graph of SOFTMAX (beta) or LOG_SOFTMAX.
SingleOpGraph FloatGraph(OpKind kind, int rows, int depth, float beta) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kFloat32, {rows, depth});
  const int out = g.AddTensor(DataType::kFloat32, {rows, depth});
  g.SetNode(kind, {in}, {out},
            kind == OpKind::kSoftmax ? Attributes{SoftmaxAttrs{beta}} : Attributes{});
  return g;
}

std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

// TF Lite's float formulas in double precision.
std::vector<double> Reference(const std::vector<float>& x, int depth, double beta, bool log) {
  std::vector<double> out(x.size());
  for (size_t r = 0; r < x.size() / depth; ++r) {
    const float* row = x.data() + r * depth;
    const double max = *std::max_element(row, row + depth);
    double sum = 0;
    for (int c = 0; c < depth; ++c) sum += std::exp((row[c] - max) * (log ? 1.0 : beta));
    for (int c = 0; c < depth; ++c) {
      out[r * depth + c] =
          log ? row[c] - max - std::log(sum) : std::exp((row[c] - max) * beta) / sum;
    }
  }
  return out;
}

TEST(FloatSoftmax, MatchesTfliteFormulasInDoublePrecision) {
  std::mt19937 rng(5);
  for (const auto [kind, rows, depth, beta, spread] :
       {std::tuple{OpKind::kSoftmax, 3, 10, 1.0f, 8.0f},
        std::tuple{OpKind::kSoftmax, 1, 1001, 0.5f, 30.0f},
        std::tuple{OpKind::kSoftmax, 4, 2, 2.0f, 100.0f},
        std::tuple{OpKind::kLogSoftmax, 3, 10, 1.0f, 8.0f},
        std::tuple{OpKind::kLogSoftmax, 2, 257, 1.0f, 60.0f}}) {
    SCOPED_TRACE(::testing::Message() << OpKindName(kind) << " " << rows << "x" << depth);
    std::uniform_real_distribution<float> dist(-spread, spread);
    std::vector<float> x(static_cast<size_t>(rows) * depth);
    for (float& v : x) v = dist(rng);
    const SingleOpGraph g = FloatGraph(kind, rows, depth, beta);
    const auto got = Floats(g.Run({AsBytes(x)}));
    const bool log = kind == OpKind::kLogSoftmax;
    const auto want = Reference(x, depth, beta, log);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      // A few roundings of float (sum of up to 1001 terms): well inside 1e-5 relative.
      EXPECT_NEAR(got[i], want[i], 1e-5 * std::abs(want[i]) + 1e-30) << i;
    }
    // In place: the output over its input gives the same bits.
    const auto overlapped = g.RunOverlapped(AsBytes(x), 0);
    ASSERT_TRUE(overlapped.has_value());
    EXPECT_EQ(Floats(*overlapped), got);
  }
}

// The way such models arrive: int8 logits, DEQUANTIZE, float SOFTMAX, written
// to a .tflite and read back, then run by the host runtime.
TEST(FloatSoftmax, AfterDequantizeThroughATfliteFile) {
  Graph g;
  const auto tensor = [&](DataType type, std::vector<float> scales, std::vector<int64_t> zps) {
    Tensor t;
    t.name = "t" + std::to_string(g.tensors.size());
    t.type = type, t.shape = {2, 5}, t.quant.scales = scales, t.quant.zero_points = zps;
    g.tensors.push_back(t);
    return static_cast<int>(g.tensors.size() - 1);
  };
  const int logits = tensor(DataType::kInt8, {0.25f}, {-3});
  const int real = tensor(DataType::kFloat32, {}, {});
  const int probs = tensor(DataType::kFloat32, {}, {});
  Node dq, sm;
  dq.kind = OpKind::kDequantize, dq.inputs = {logits}, dq.outputs = {real};
  sm.kind = OpKind::kSoftmax, sm.inputs = {real}, sm.outputs = {probs}, sm.attrs = SoftmaxAttrs{};
  g.nodes = {dq, sm};
  g.inputs = {logits}, g.outputs = {probs};
  const auto bytes = WriteTfliteModel(g);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto read = ReadTfliteModel(*bytes);
  ASSERT_TRUE(read.ok()) << read.status().message();
  auto ex = Executor::Create(*read, PlanOptions{});
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const std::vector<int8_t> q = {-128, -3, 0, 17, 127, 5, 5, 5, 5, 6};
  ASSERT_TRUE((*ex)->SetInput(0, AsBytes(q)).ok());
  ASSERT_TRUE((*ex)->Invoke().ok());
  const auto out = (*ex)->Output(0);
  const auto got = Floats(std::vector<uint8_t>(out.begin(), out.end()));
  std::vector<float> x;
  for (int8_t v : q) x.push_back(0.25f * (v + 3));
  const auto want = Reference(x, 5, 1.0, false);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6 * want[i] + 1e-30);
}

TEST(FloatSoftmax, RefusesMixedTypes) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kFloat32, {1, 4});
  const int out = g.AddTensor(DataType::kInt8, {1, 4}, {1.0f / 256}, {-128});
  g.SetNode(OpKind::kSoftmax, {in}, {out}, SoftmaxAttrs{});
  const auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("output"), std::string::npos) << ex.status().message();
}

}  // namespace
}  // namespace mcunet::testing
