// ADD against the spec reference, with broadcasting and every fused activation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct AddCase {
  std::vector<int32_t> a, b, out;
};

class AddGridTest : public ::testing::TestWithParam<AddCase> {};

int64_t Count(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int d : s) n *= d;
  return n;
}

TEST_P(AddGridTest, MatchesSpecReference) {
  const AddCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(Count(c.a) * 31 + Count(c.b)));
  std::uniform_real_distribution<float> scale(0.01f, 0.1f);
  for (int trial = 0; trial < 4; ++trial) {
    const float s1 = scale(rng), s2 = scale(rng), so = scale(rng) * 2;
    const int z1 = static_cast<int>(rng() % 256) - 128, z2 = static_cast<int>(rng() % 256) - 128;
    const int zo = static_cast<int>(rng() % 256) - 128;
    const Activation act = static_cast<Activation>(trial);
    const auto x1 = RandomInt8(rng, Count(c.a)), x2 = RandomInt8(rng, Count(c.b));
    SingleOpGraph g;
    const int ta = g.AddTensor(DataType::kInt8, c.a, {s1}, {z1});
    const int tb = g.AddTensor(DataType::kInt8, c.b, {s2}, {z2});
    const int to = g.AddTensor(DataType::kInt8, c.out, {so}, {zo});
    g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{act});

    // Spec: both inputs scaled to twice the larger input scale with 20 bits of
    // headroom, summed, scaled to the output.
    const double twice_max = 2.0 * std::max(s1, s2);
    int32_t m1, m2, mo;
    int sh1, sh2, sho;
    RefQuantizeMultiplier(s1 / twice_max, &m1, &sh1);
    RefQuantizeMultiplier(s2 / twice_max, &m2, &sh2);
    RefQuantizeMultiplier(twice_max / ((1 << 20) * static_cast<double>(so)), &mo, &sho);
    int32_t lo, hi;
    RefActivationRange(trial, so, zo, &lo, &hi);
    // Index the inputs from output coordinates (right-aligned broadcasting).
    const size_t rank = c.out.size();
    auto index_of = [&](const std::vector<int32_t>& shape, const std::vector<int32_t>& coord) {
      int64_t idx = 0;
      const size_t off = rank - shape.size();
      for (size_t d = 0; d < shape.size(); ++d)
        idx = idx * shape[d] + (shape[d] == 1 ? 0 : coord[d + off]);
      return idx;
    };
    std::vector<int8_t> expected;
    std::vector<int32_t> coord(rank, 0);
    for (int64_t i = 0; i < Count(c.out); ++i) {
      int64_t rem = i;
      for (size_t d = rank; d-- > 0;)
        coord[d] = static_cast<int32_t>(rem % c.out[d]), rem /= c.out[d];
      const int32_t v1 = RefRequantize((x1[index_of(c.a, coord)] - z1) * (1 << 20), m1, sh1);
      const int32_t v2 = RefRequantize((x2[index_of(c.b, coord)] - z2) * (1 << 20), m2, sh2);
      expected.push_back(static_cast<int8_t>(Clamp(RefRequantize(v1 + v2, mo, sho) + zo, lo, hi)));
    }
    EXPECT_EQ(g.Run({AsBytes(x1), AsBytes(x2)}), AsBytes(expected)) << "trial " << trial;
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, AddGridTest,
                         ::testing::Values(AddCase{{1, 5, 5, 7}, {1, 5, 5, 7}, {1, 5, 5, 7}},
                                           AddCase{{1, 4, 3, 8}, {8}, {1, 4, 3, 8}},
                                           AddCase{{2, 1, 3, 1}, {1, 4, 1, 5}, {2, 4, 3, 5}},
                                           AddCase{{33}, {33}, {33}},
                                           AddCase{{3, 1}, {1}, {3, 1}}));

TEST(AddErrors, ShapesThatDoNotBroadcast) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  const int tb = g.AddTensor(DataType::kInt8, {1, 3}, {0.1f}, {0});
  const int to = g.AddTensor(DataType::kInt8, {1, 4}, {0.1f}, {0});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{});
  auto ex = g.Build();
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("do not broadcast"), std::string::npos);
}

}  // namespace
}  // namespace mcunet::testing
