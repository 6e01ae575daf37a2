// ADD int8 on the emulated Cortex-M7 against the host runtime (itself checked
// against the spec reference in tests/kernels/add_test.cc). Dense inputs into
// the whole int8 range take the assembly loop; the cases reach its edges: both
// scalings exact halvings (equal input scales), extreme zero points, an input
// scale far below the other, an odd element count. A fused RELU, broadcasting and
// a scale ratio beyond the assembly's range take the C loops.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "qemu/single_op_qemu.h"

namespace mcunet::testing {
namespace {

struct AddGridCase {
  std::string name;
  std::vector<int32_t> a, b;
  float s1, s2, so;
  int z1, z2, zo;
  Activation act = Activation::kNone;
  // The larger-scale input drawn from [-60, 60] and the output at its scale,
  // the smaller scale just below a half or a quarter of it: the sums sit a hair
  // from the output's rounding ties, so a scaling of the smaller input off by
  // one in its last bit shows (for random inputs it almost never does: ADD keeps
  // 20 bits of headroom, which the output's rounding drops).
  bool near_ties = false;
};

std::vector<AddGridCase> Cases() {
  return {
      {"equal_scales", {1, 5, 7, 3}, {1, 5, 7, 3}, 0.05f, 0.05f, 0.08f, -3, 9, 1},
      {"extreme_zero_points", {1, 3, 3, 13}, {1, 3, 3, 13}, 0.031f, 0.097f, 0.11f, -128, 127, 127},
      {"small_second_scale", {1, 4, 4, 8}, {1, 4, 4, 8}, 0.2f, 0.0007f, 0.21f, 5, -128, -128},
      {"one_element", {1, 1, 1, 1}, {1, 1, 1, 1}, 0.02f, 0.03f, 0.01f, 0, 0, 0},
      {"relu", {1, 5, 5, 6}, {1, 5, 5, 6}, 0.04f, 0.06f, 0.05f, 7, -7, -20, Activation::kRelu},
      {"broadcast", {1, 3, 4, 8}, {8}, 0.04f, 0.02f, 0.05f, 2, -2, 0},
      {"ratio_beyond_assembly", {1, 2, 9, 4}, {1, 2, 9, 4}, 0.5f, 1e-8f, 0.5f, 1, 2, 3},
      {"near_ties_first_smaller",
       {1, 32, 32, 4},
       {1, 32, 32, 4},
       0.0625f * (0.5f - 0x1p-25f),
       0.0625f,
       0.0625f,
       3,
       -2,
       0,
       Activation::kNone,
       true},
      {"near_ties_second_smaller",
       {1, 32, 32, 4},
       {1, 32, 32, 4},
       0.0625f,
       0.0625f * (0.25f - 0x1p-26f),
       0.0625f,
       -2,
       3,
       0,
       Activation::kNone,
       true},
  };
}

class QemuAddGrid : public ::testing::TestWithParam<AddGridCase> {};

int64_t Count(const std::vector<int32_t>& s) {
  int64_t n = 1;
  for (int d : s) n *= d;
  return n;
}

TEST_P(QemuAddGrid, CortexM7EqualsHostRuntime) {
  const AddGridCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.name)));
  SingleOpGraph g;
  const int ta = g.AddTensor(DataType::kInt8, c.a, {c.s1}, {c.z1});
  const int tb = g.AddTensor(DataType::kInt8, c.b, {c.s2}, {c.z2});
  const int to = g.AddTensor(DataType::kInt8, c.a, {c.so}, {c.zo});
  g.SetNode(OpKind::kAdd, {ta, tb}, {to}, ElementwiseAttrs{c.act});
  std::vector<int8_t> a = RandomInt8(rng, Count(c.a)), b = RandomInt8(rng, Count(c.b));
  if (c.near_ties) (c.s1 > c.s2 ? a : b) = RandomInt8(rng, a.size(), -60, 60);
  ExpectCortexM7EqualsHost(g, {AsBytes(a), AsBytes(b)}, "add_grid_" + c.name);
}

INSTANTIATE_TEST_SUITE_P(Cases, QemuAddGrid, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace mcunet::testing
