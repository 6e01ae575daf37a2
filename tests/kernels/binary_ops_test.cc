// SUB, SQUARED_DIFFERENCE, MAXIMUM, MINIMUM and PRELU over broadcast shapes
// against the real function of the dequantised inputs (within one output step:
// the integer pipelines round twice), in place, and their errors. Their bytes
// against TF Lite Micro's are in tests/golden_ops (golden_ops_test).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct Q {
  float scale;
  int zp;
};

struct Shapes {
  std::vector<int32_t> a, b, out;
};

const Shapes kShapes[] = {
    {{2, 3, 5}, {2, 3, 5}, {2, 3, 5}},
    {{1, 4, 4, 3}, {3}, {1, 4, 4, 3}},
    {{1, 5, 1, 3}, {1, 1, 7, 1}, {1, 5, 7, 3}},
    {{4, 3}, {}, {4, 3}},
};

int64_t Count(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int32_t d : s) n *= d;
  return n;
}

// Index into a right-aligned broadcast input for output element `o`.
int64_t SourceIndex(const std::vector<int32_t>& in, const std::vector<int32_t>& out, int64_t o) {
  int64_t index = 0, stride = 1;
  for (int d = static_cast<int>(out.size()) - 1, k = static_cast<int>(in.size()) - 1; d >= 0;
       --d, --k) {
    const int64_t coord = o % out[d];
    o /= out[d];
    if (k >= 0) {
      if (in[k] != 1) index += coord * stride;
      stride *= in[k];
    }
  }
  return index;
}

void ExpectBinary(OpKind kind, Q qa, Q qb, Q qo, const std::function<double(double, double)>& f,
                  int tolerance, Attributes attrs = ElementwiseAttrs{}) {
  std::mt19937 rng(static_cast<unsigned>(kind) * 31 + qa.zp);
  for (const Shapes& s : kShapes) {
    // PRELU's alpha broadcasts into the input's shape only.
    if (kind == OpKind::kPrelu && s.out != s.a) continue;
    SingleOpGraph g;
    const int ta = g.AddTensor(DataType::kInt8, s.a, {qa.scale}, {qa.zp});
    const int tb = g.AddTensor(DataType::kInt8, s.b, {qb.scale}, {qb.zp});
    const int to = g.AddTensor(DataType::kInt8, s.out, {qo.scale}, {qo.zp});
    g.SetNode(kind, {ta, tb}, {to}, attrs);
    const auto a = RandomInt8(rng, Count(s.a)), b = RandomInt8(rng, Count(s.b));
    const auto got = g.Run({AsBytes(a), AsBytes(b)});
    ASSERT_EQ(static_cast<int64_t>(got.size()), Count(s.out));
    for (int64_t o = 0; o < Count(s.out); ++o) {
      const double x = qa.scale * (a[SourceIndex(s.a, s.out, o)] - qa.zp);
      const double y = qb.scale * (b[SourceIndex(s.b, s.out, o)] - qb.zp);
      const double q = std::clamp(std::round(f(x, y) / qo.scale) + qo.zp, -128.0, 127.0);
      EXPECT_NEAR(static_cast<int8_t>(got[o]), q, tolerance)
          << OpKindName(kind) << " element " << o << " of " << Count(s.out);
    }
  }
}

TEST(BinaryOps, SubFollowsTheRealDifference) {
  ExpectBinary(
      OpKind::kSub, {0.06f, -5}, {0.03f, 40}, {0.09f, -17},
      [](double x, double y) { return x - y; }, 1);
  ExpectBinary(
      OpKind::kSub, {0.02f, 10}, {0.05f, -128}, {0.04f, 3},
      [](double x, double y) { return x - y; }, 1);
  ElementwiseAttrs relu;
  relu.activation = Activation::kRelu;
  ExpectBinary(
      OpKind::kSub, {0.05f, -40}, {0.03f, 0}, {0.048f, -128},
      [](double x, double y) { return std::max(0.0, x - y); }, 1, relu);
}

TEST(BinaryOps, SquaredDifferenceFollowsTheRealSquare) {
  ExpectBinary(
      OpKind::kSquaredDifference, {0.05f, 0}, {0.04f, -20}, {0.24f, -128},
      [](double x, double y) { return (x - y) * (x - y); }, 1);
  ExpectBinary(
      OpKind::kSquaredDifference, {0.02f, 7}, {0.02f, 7}, {0.01f, -128},
      [](double x, double y) { return (x - y) * (x - y); }, 1);
}

TEST(BinaryOps, MaximumAndMinimumAreExactOnSharedQuantisation) {
  ExpectBinary(
      OpKind::kMaximum, {0.05f, -10}, {0.05f, -10}, {0.05f, -10},
      [](double x, double y) { return std::max(x, y); }, 0, std::monostate{});
  ExpectBinary(
      OpKind::kMinimum, {0.03f, 20}, {0.03f, 20}, {0.03f, 20},
      [](double x, double y) { return std::min(x, y); }, 0, std::monostate{});
}

TEST(BinaryOps, PreluScalesNegativeInputsByAlpha) {
  ExpectBinary(
      OpKind::kPrelu, {0.05f, -10}, {0.004f, 0}, {0.033f, -83},
      [](double x, double a) { return x >= 0 ? x : a * x; }, 1, std::monostate{});
  ExpectBinary(
      OpKind::kPrelu, {0.04f, 30}, {0.002f, -50}, {0.024f, -37},
      [](double x, double a) { return x >= 0 ? x : a * x; }, 1, std::monostate{});
}

// Output element i is written after input element i is read: a dense input may
// share its bytes with the output.
TEST(BinaryOps, DenseFirstInputMayShareItsBytes) {
  for (OpKind kind : {OpKind::kSub, OpKind::kSquaredDifference, OpKind::kMaximum, OpKind::kPrelu}) {
    SingleOpGraph g;
    const int ta = g.AddTensor(DataType::kInt8, {1, 4, 4, 3}, {0.05f}, {-10});
    const int tb =
        g.AddConstant(DataType::kInt8, {3}, std::vector<int8_t>{-90, 5, 77}, {0.05f}, {-10});
    const int to = g.AddTensor(DataType::kInt8, {1, 4, 4, 3}, {0.05f}, {-10});
    g.SetNode(kind, {ta, tb}, {to},
              kind == OpKind::kSub ? Attributes{ElementwiseAttrs{}} : Attributes{});
    std::mt19937 rng(4);
    const auto in = AsBytes(RandomInt8(rng, 48));
    const auto expected = g.Run({in});
    EXPECT_EQ(*g.RunOverlapped(in), expected) << OpKindName(kind);
  }
}

TEST(BinaryOps, ErrorsNameTheOperatorAndTensors) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {2, 3}, {0.05f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {4}, {0.05f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {2, 3}, {0.05f}, {0});
  g.SetNode(OpKind::kSub, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("SUB"), std::string::npos) << ex.status().message();
  EXPECT_NE(ex.status().message().find("do not broadcast"), std::string::npos)
      << ex.status().message();

  // PRELU's alpha broadcasts into the input, not the input into alpha.
  SingleOpGraph p;
  const int pa = p.AddTensor(DataType::kInt8, {1, 3}, {0.05f}, {0});
  const int pb = p.AddTensor(DataType::kInt8, {4, 3}, {0.01f}, {0});
  const int po = p.AddTensor(DataType::kInt8, {4, 3}, {0.05f}, {0});
  p.SetNode(OpKind::kPrelu, {pa, pb}, {po}, {});
  auto px = p.Build();
  ASSERT_FALSE(px.ok());
  EXPECT_NE(px.status().message().find("PRELU"), std::string::npos) << px.status().message();
}

}  // namespace
}  // namespace mcunet::testing
