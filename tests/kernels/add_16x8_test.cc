// ADD int16 (the 16x8 models' ADD) against the spec reference: TFLite's general
// scheme with 15 bits of headroom, broadcasting, saturation, every fused
// activation; the in-place rule, the refusals and the emitted call.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"
#include "ops/op.h"

namespace mcunet::testing {
namespace {

struct Add16Case {
  std::vector<int32_t> a, b, out;
};

int64_t Count(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int d : s) n *= d;
  return n;
}

std::vector<int16_t> RandomInt16(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> d(-32768, 32767);
  std::vector<int16_t> v(n);
  for (auto& x : v) x = static_cast<int16_t>(d(rng));
  return v;
}

// The spec, per output element: both inputs scaled to twice the larger input
// scale with 15 bits of headroom (each rescale rounds twice, as TFLite's
// MultiplyByQuantizedMultiplierSmallerThanOneExp), summed, scaled to the
// output and clamped. Broadcasting: shapes right-aligned, size-1 dims repeat.
std::vector<int16_t> Reference(const Add16Case& c, const std::vector<int16_t>& x1,
                               const std::vector<int16_t>& x2, float s1, float s2, float so,
                               int activation) {
  const double twice_max = 2.0 * std::max(s1, s2);
  int32_t m1, m2, mo;
  int sh1, sh2, sho;
  RefQuantizeMultiplier(s1 / twice_max, &m1, &sh1);
  RefQuantizeMultiplier(s2 / twice_max, &m2, &sh2);
  RefQuantizeMultiplier(twice_max / ((1 << 15) * static_cast<double>(so)), &mo, &sho);
  int32_t lo, hi;
  RefActivationRange(activation, so, 0, &lo, &hi, -32768, 32767);
  const size_t rank = c.out.size();
  auto index_of = [&](const std::vector<int32_t>& shape, const std::vector<int32_t>& coord) {
    int64_t idx = 0;
    const size_t off = rank - shape.size();
    for (size_t d = 0; d < shape.size(); ++d)
      idx = idx * shape[d] + (shape[d] == 1 ? 0 : coord[d + off]);
    return idx;
  };
  std::vector<int16_t> expected;
  std::vector<int32_t> coord(rank, 0);
  for (int64_t i = 0; i < Count(c.out); ++i) {
    int64_t rem = i;
    for (size_t d = rank; d-- > 0;)
      coord[d] = static_cast<int32_t>(rem % c.out[d]), rem /= c.out[d];
    const int32_t v1 = RefRequantize(x1[index_of(c.a, coord)] * (1 << 15), m1, sh1);
    const int32_t v2 = RefRequantize(x2[index_of(c.b, coord)] * (1 << 15), m2, sh2);
    expected.push_back(static_cast<int16_t>(Clamp(RefRequantize(v1 + v2, mo, sho), lo, hi)));
  }
  return expected;
}

class Add16GridTest : public ::testing::TestWithParam<Add16Case> {};

TEST_P(Add16GridTest, MatchesSpecReference) {
  const Add16Case c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(Count(c.a) * 31 + Count(c.b)));
  std::uniform_real_distribution<float> scale(1e-4f, 6e-4f);
  for (int trial = 0; trial < 8; ++trial) {
    // Trials 4..7 give the output a scale below the inputs': many sums saturate.
    const float s1 = scale(rng), s2 = scale(rng), so = scale(rng) * (trial < 4 ? 2.0f : 0.3f);
    const int act = trial % 4;
    const auto x1 = RandomInt16(rng, Count(c.a)), x2 = RandomInt16(rng, Count(c.b));
    SingleOpGraph g;
    const int ta = g.AddTensor(DataType::kInt16, c.a, {s1}, {0});
    const int tb = g.AddTensor(DataType::kInt16, c.b, {s2}, {0});
    const int to = g.AddTensor(DataType::kInt16, c.out, {so}, {0});
    g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{static_cast<Activation>(act)});
    EXPECT_EQ(g.Run({AsBytes(x1), AsBytes(x2)}), AsBytes(Reference(c, x1, x2, s1, s2, so, act)))
        << "trial " << trial;
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, Add16GridTest,
                         ::testing::Values(Add16Case{{1, 5, 5, 7}, {1, 5, 5, 7}, {1, 5, 5, 7}},
                                           Add16Case{{1, 4, 3, 8}, {8}, {1, 4, 3, 8}},
                                           Add16Case{{2, 1, 3, 1}, {1, 4, 1, 5}, {2, 4, 3, 5}},
                                           Add16Case{{33}, {33}, {33}},
                                           Add16Case{{1}, {3, 1}, {3, 1}},
                                           Add16Case{{1, 1, 1, 3}, {1, 4, 4, 3}, {1, 4, 4, 3}}));

// The extremes of both inputs: -32768 + -32768 and 32767 + 32767 at equal
// scales, where the headroom argument of the kernel is tightest.
TEST(Add16, ExtremeInputsSaturateWithoutOverflow) {
  const Add16Case c{{4}, {4}, {4}};
  const std::vector<int16_t> x1 = {-32768, 32767, -32768, 32767};
  const std::vector<int16_t> x2 = {-32768, 32767, 32767, -32768};
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt16, {4}, {1e-4f}, {0});
  const int tb = g.AddTensor(DataType::kInt16, {4}, {1e-4f}, {0});
  const int to = g.AddTensor(DataType::kInt16, {4}, {1e-4f}, {0});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{});
  const auto expected = Reference(c, x1, x2, 1e-4f, 1e-4f, 1e-4f, 0);
  EXPECT_EQ(expected[0], -32768);
  EXPECT_EQ(expected[1], 32767);
  EXPECT_EQ(g.Run({AsBytes(x1), AsBytes(x2)}), AsBytes(expected));
}

// Element by element: a dense input may share the output's bytes (offset 0),
// a broadcast one may not.
TEST(Add16InPlace, DenseInputAtOffsetZero) {
  std::mt19937 rng(7);
  const auto x = RandomInt16(rng, 48);
  const auto k = RandomInt16(rng, 3);
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt16, {1, 4, 4, 3}, {2e-4f}, {0});
  const int tb = g.AddConstant(DataType::kInt16, {3}, k, {5e-4f}, {0});
  const int to = g.AddTensor(DataType::kInt16, {1, 4, 4, 3}, {6e-4f}, {0});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{});
  auto op = GetOpDefinition(OpKind::kAdd).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EXPECT_EQ((*op)->InPlaceOffset(0), 0);
  EXPECT_EQ((*op)->InPlaceOffset(1), kNoInPlace);
  const auto overlapped = g.RunOverlapped(AsBytes(x));
  ASSERT_TRUE(overlapped.has_value());
  EXPECT_EQ(*overlapped,
            AsBytes(Reference({{1, 4, 4, 3}, {3}, {1, 4, 4, 3}}, x, k, 2e-4f, 5e-4f, 6e-4f, 0)));
}

TEST(Add16Errors, NonzeroZeroPointIsRefused) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt16, {4}, {1e-4f}, {0});
  const int tb = g.AddTensor(DataType::kInt16, {4}, {1e-4f}, {5});
  const int to = g.AddTensor(DataType::kInt16, {4}, {2e-4f}, {0});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find(
                "operator 0 (ADD): tensor 1 't1' is int16 with zero point 5, expected 0"),
            std::string::npos)
      << ex.status().message();
}

TEST(Add16Errors, MixedInt8AndInt16InputsAreRefused) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt16, {4}, {1e-4f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {4}, {0.1f}, {0});
  const int to = g.AddTensor(DataType::kInt16, {4}, {2e-4f}, {0});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("input 1 (tensor 1 't1') is int8, expected int16"),
            std::string::npos)
      << ex.status().message();
}

TEST(Add16Emit, CallsTheInt16KernelWithHeadroom15) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt16, {1, 2, 2, 3}, {2e-4f}, {0});
  const int tb = g.AddTensor(DataType::kInt16, {3}, {5e-4f}, {0});
  const int to = g.AddTensor(DataType::kInt16, {1, 2, 2, 3}, {6e-4f}, {0});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{Activation::kRelu});
  auto op = GetOpDefinition(OpKind::kAdd).prepare(g.graph(), g.graph().nodes[0]);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EmitNames names;
  names.prefix = "m_l0";
  names.inputs = {"a", "b"};
  names.outputs = {"out"};
  const EmittedCall call = (*op)->Emit(names);
  EXPECT_EQ(call.kernel_file, "add_s16.c");
  EXPECT_EQ(call.call,
            "mcunet_add_s16(&m_l0_params, (const int16_t *)(a), (const int16_t *)(b), "
            "(int16_t *)(out))");
  for (const char* field :
       {".left_shift = 15", ".act_min = 0", ".act_max = 32767", ".in2_strides = {0, 0, 0, 1}"}) {
    EXPECT_NE(call.definitions.find(field), std::string::npos) << field << "\n" << call.definitions;
  }
}

}  // namespace
}  // namespace mcunet::testing
