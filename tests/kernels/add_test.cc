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

struct AddQuant {
  float s1, s2, so;
  int z1, z2, zo;
  Activation act;
};

// The graph's ADD against the spec: both inputs scaled to twice the larger
// input scale with 20 bits of headroom, summed, scaled to the output.
void ExpectSpecAdd(const AddCase& c, const AddQuant& q, const std::vector<int8_t>& x1,
                   const std::vector<int8_t>& x2) {
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, c.a, {q.s1}, {q.z1});
  const int tb = g.AddTensor(DataType::kInt8, c.b, {q.s2}, {q.z2});
  const int to = g.AddTensor(DataType::kInt8, c.out, {q.so}, {q.zo});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{q.act});
  const double twice_max = 2.0 * std::max(q.s1, q.s2);
  int32_t m1, m2, mo;
  int sh1, sh2, sho;
  RefQuantizeMultiplier(q.s1 / twice_max, &m1, &sh1);
  RefQuantizeMultiplier(q.s2 / twice_max, &m2, &sh2);
  RefQuantizeMultiplier(twice_max / ((1 << 20) * static_cast<double>(q.so)), &mo, &sho);
  int32_t lo, hi;
  RefActivationRange(static_cast<int>(q.act), q.so, q.zo, &lo, &hi);
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
    const int32_t v1 = RefRequantize((x1[index_of(c.a, coord)] - q.z1) * (1 << 20), m1, sh1);
    const int32_t v2 = RefRequantize((x2[index_of(c.b, coord)] - q.z2) * (1 << 20), m2, sh2);
    expected.push_back(static_cast<int8_t>(Clamp(RefRequantize(v1 + v2, mo, sho) + q.zo, lo, hi)));
  }
  EXPECT_EQ(g.Run({AsBytes(x1), AsBytes(x2)}), AsBytes(expected));
}

TEST_P(AddGridTest, MatchesSpecReference) {
  const AddCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(Count(c.a) * 31 + Count(c.b)));
  std::uniform_real_distribution<float> scale(0.01f, 0.1f);
  // Trial 4: equal input scales (both scalings exact halvings); trial 5: the
  // second scale 10^7 times below the first (beyond the flat loop's range).
  for (int trial = 0; trial < 6; ++trial) {
    AddQuant q;
    q.s1 = scale(rng), q.so = scale(rng) * 2;
    q.s2 = trial == 4 ? q.s1 : trial == 5 ? q.s1 * 1e-7f : scale(rng);
    q.z1 = static_cast<int>(rng() % 256) - 128, q.z2 = static_cast<int>(rng() % 256) - 128;
    q.zo = static_cast<int>(rng() % 256) - 128;
    q.act = static_cast<Activation>(trial % 4);
    SCOPED_TRACE(fmt::format("trial {}", trial));
    ExpectSpecAdd(c, q, RandomInt8(rng, Count(c.a)), RandomInt8(rng, Count(c.b)));
  }
}

// One scale just below a half or a quarter of the other, the output at the
// larger, whose input stays in [-60, 60]: the sums sit a hair from the output's
// rounding ties, so a scaling of the smaller input off by one in its last bit
// shows (for random inputs it almost never does: ADD keeps 20 bits of headroom,
// which the output's rounding drops). tests/qemu/add_grid_test.cc has the same.
TEST(AddNearTies, MatchesSpecReference) {
  const AddCase c{{1, 32, 32, 4}, {1, 32, 32, 4}, {1, 32, 32, 4}};
  std::mt19937 rng(7);
  for (float ratio : {0.5f - 0x1p-25f, 0.25f - 0x1p-26f}) {
    const AddQuant q{0.0625f * ratio, 0.0625f, 0.0625f, 3, -2, 0, Activation::kNone};
    SCOPED_TRACE(fmt::format("ratio {}", ratio));
    ExpectSpecAdd(c, q, RandomInt8(rng, Count(c.a)), RandomInt8(rng, Count(c.b), -60, 60));
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
