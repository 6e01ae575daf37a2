// MUL against the spec reference (broadcasting, zero points, scales whose
// product rescales down and up, every fused activation), its in-place rule on
// overlapping buffers, its errors, and the C it emits. TF Lite Micro's own
// outputs are checked in tests/ops/golden_ops_test.cc.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct MulCase {
  std::vector<int32_t> a, b, out;
};

int64_t Count(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int d : s) n *= d;
  return n;
}

// Row-major index into `shape` (right-aligned against the output) at output
// coordinate `coord`, reading index 0 along dimensions of size 1.
int64_t BroadcastIndex(const std::vector<int32_t>& shape, const std::vector<int32_t>& coord) {
  int64_t idx = 0;
  const size_t off = coord.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d)
    idx = idx * shape[d] + (shape[d] == 1 ? 0 : coord[d + off]);
  return idx;
}

class MulGridTest : public ::testing::TestWithParam<MulCase> {};

TEST_P(MulGridTest, MatchesSpecReference) {
  const MulCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(Count(c.a) * 131 + Count(c.b)));
  std::uniform_real_distribution<float> scale(0.01f, 0.1f);
  for (int trial = 0; trial < 8; ++trial) {
    const float s1 = scale(rng), s2 = scale(rng);
    // Odd trials: an output scale below s1 * s2, so the rescale is above one
    // (positive shift); even trials: the usual rescale below one.
    const float so = trial % 2 ? s1 * s2 * scale(rng) * 5 : s1 * s2 * 100 * scale(rng);
    const int z1 = static_cast<int>(rng() % 256) - 128, z2 = static_cast<int>(rng() % 256) - 128;
    const int zo = static_cast<int>(rng() % 256) - 128;
    const int act = trial % 4;
    const auto x1 = RandomInt8(rng, Count(c.a)), x2 = RandomInt8(rng, Count(c.b));
    SingleOpGraph g;
    const int ta = g.AddTensor(DataType::kInt8, c.a, {s1}, {z1});
    const int tb = g.AddTensor(DataType::kInt8, c.b, {s2}, {z2});
    const int to = g.AddTensor(DataType::kInt8, c.out, {so}, {zo});
    g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{static_cast<Activation>(act)});

    // Spec: (q1 - z1) * (q2 - z2) scaled by s1 * s2 / so, plus zo, clamped.
    int32_t m;
    int sh;
    RefQuantizeMultiplier(static_cast<double>(s1) * s2 / so, &m, &sh);
    int32_t lo, hi;
    RefActivationRange(act, so, zo, &lo, &hi);
    std::vector<int8_t> expected;
    std::vector<int32_t> coord(c.out.size(), 0);
    for (int64_t i = 0; i < Count(c.out); ++i) {
      int64_t rem = i;
      for (size_t d = c.out.size(); d-- > 0;) {
        coord[d] = static_cast<int32_t>(rem % c.out[d]), rem /= c.out[d];
      }
      const int32_t product =
          (x1[BroadcastIndex(c.a, coord)] - z1) * (x2[BroadcastIndex(c.b, coord)] - z2);
      expected.push_back(static_cast<int8_t>(Clamp(RefRequantize(product, m, sh) + zo, lo, hi)));
    }
    EXPECT_EQ(g.Run({AsBytes(x1), AsBytes(x2)}), AsBytes(expected))
        << "trial " << trial << " rescale " << static_cast<double>(s1) * s2 / so;
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, MulGridTest,
                         ::testing::Values(MulCase{{1, 5, 5, 7}, {1, 5, 5, 7}, {1, 5, 5, 7}},
                                           MulCase{{1, 4, 3, 8}, {8}, {1, 4, 3, 8}},
                                           MulCase{{1, 1, 1, 8}, {1, 4, 3, 8}, {1, 4, 3, 8}},
                                           MulCase{{2, 1, 3, 1}, {1, 4, 1, 5}, {2, 4, 3, 5}},
                                           MulCase{{33}, {33}, {33}}, MulCase{{3, 1}, {1}, {3, 1}},
                                           MulCase{{}, {2, 3}, {2, 3}}));

// A dense input may be overwritten in place (offset 0); a broadcast one may not.
TEST(MulInPlace, DenseInputSharesItsBytesWithTheOutput) {
  std::mt19937 rng(7);
  const auto x = RandomInt8(rng, 4 * 5 * 3);
  const std::vector<int8_t> c = {-121, -53, 107};
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {1, 4, 5, 3}, {0.04f}, {-20});
  const int tb = g.AddConstant(DataType::kInt8, {3}, c, {0.01f}, {10});
  const int to = g.AddTensor(DataType::kInt8, {1, 4, 5, 3}, {0.0135f}, {-128});
  g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{Activation::kRelu6});
  const auto separate = g.Run({AsBytes(x)});
  const auto overlapped = g.RunOverlapped(AsBytes(x));
  ASSERT_TRUE(overlapped.has_value());
  EXPECT_EQ(*overlapped, separate);
}

TEST(MulInPlace, BroadcastInputIsNotOverwritten) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {1, 1, 1, 3}, {0.04f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {1, 2, 2, 3}, {0.04f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {1, 2, 2, 3}, {0.04f}, {0});
  g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{});
  auto op = GetOpDefinition(OpKind::kMul).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EXPECT_EQ((*op)->InPlaceOffset(0), kNoInPlace);
  EXPECT_EQ((*op)->InPlaceOffset(1), 0);
}

TEST(MulErrors, ShapesThatDoNotBroadcast) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {1, 3}, {0.1f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("operator 0 (MUL): shapes 1x4 and 1x3 do not broadcast"),
            std::string::npos)
      << ex.status().message();
}

TEST(MulErrors, FloatInputNamesTheTensor) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kFloat32, {4});
  const int tb = g.AddTensor(DataType::kInt8, {4}, {0.1f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {4}, {0.1f}, {0});
  g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("input 0 (tensor 0 't0') is float32, expected int8"),
            std::string::npos)
      << ex.status().message();
}

TEST(MulErrors, RescaleBeyondTheKernelsHeadroomIsRefused) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {4}, {1.0f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {4}, {1.0f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {4}, {1e-5f}, {0});
  g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("at most 2^15"), std::string::npos) << ex.status().message();
}

// The generated C prints every field of mcunet_mul_params from its field list.
// (RELU_N1_TO_1's upper bound: -1 + round(1 / float(2/255)) = -1 + 127.)
TEST(MulEmit, PrintsEveryParameter) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {1, 5, 1, 3}, {0.03f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {1, 1, 7, 1}, {0.04f}, {-60});
  const int to = g.AddTensor(DataType::kInt8, {1, 5, 7, 3}, {2.0f / 255}, {-1});
  g.SetNode(OpKind::kMul, {ta, tb}, {to}, ElementwiseAttrs{Activation::kReluN1To1});
  auto op = GetOpDefinition(OpKind::kMul).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EmitNames names;
  names.prefix = "m_l0";
  names.inputs = {"in1", "in2"};
  names.outputs = {"out"};
  const EmittedCall call = (*op)->Emit(names);
  EXPECT_EQ(call.kernel_file, "mul_s8.c");
  EXPECT_EQ(call.call,
            "mcunet_mul_s8(&m_l0_params, (const int8_t *)(in1), "
            "(const int8_t *)(in2), (int8_t *)(out))");
  for (const char* field :
       {".out_dims = {1, 5, 7, 3}", ".in1_strides = {0, 3, 0, 1}", ".in2_strides = {0, 0, 1, 0}",
        ".input1_offset = 0", ".input2_offset = 60", ".output_offset = -1",
        ".output_multiplier = ", ".output_shift = ", ".act_min = -128", ".act_max = 126"}) {
    EXPECT_NE(call.definitions.find(field), std::string::npos) << field << "\n" << call.definitions;
  }
  EXPECT_EQ(call.definitions.rfind("static const mcunet_mul_params m_l0_params = {", 0), 0u);
}

}  // namespace
}  // namespace mcunet::testing
