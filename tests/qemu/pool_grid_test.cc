// AVERAGE_POOL_2D int8 on the emulated Cortex-M7 against the host runtime
// (checked against the spec in tests/kernels/pool_test.cc). Channels in groups
// of four over windows of at most 256 values take the SIMD path (16-bit sums
// of even and odd bytes); the cases reach its edges: windows clipped by SAME
// padding (counts differ per pixel), a global pool of exactly 256 values of
// -128 and of 127 (the 16-bit sums' extremes), a fused RELU6, and the C loop's
// cases (257 values, channels not a multiple of four).
#include <gtest/gtest.h>

#include <random>

#include "qemu/single_op_qemu.h"

namespace mcunet::testing {
namespace {

struct PoolCase {
  std::string name;
  int h, w, c, k_h, k_w, stride;
  Padding padding;
  int fill = 0;  // 0: random values; else every input is this value
  Activation act = Activation::kNone;
};

class QemuAveragePoolGrid : public ::testing::TestWithParam<PoolCase> {};

TEST_P(QemuAveragePoolGrid, CortexM7EqualsHostRuntime) {
  const PoolCase c = GetParam();
  const auto out_size = [&](int in, int k) {
    return c.padding == Padding::kSame ? (in + c.stride - 1) / c.stride : (in - k) / c.stride + 1;
  };
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kInt8, {1, c.h, c.w, c.c}, {0.05f}, {-3});
  const int to = g.AddTensor(DataType::kInt8, {1, out_size(c.h, c.k_h), out_size(c.w, c.k_w), c.c},
                             {0.05f}, {-3});
  PoolAttrs a;
  a.padding = c.padding, a.stride_h = a.stride_w = c.stride, a.filter_h = c.k_h, a.filter_w = c.k_w;
  a.activation = c.act;
  g.SetNode(OpKind::kAveragePool2D, {ti}, {to}, a);
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.name)));
  std::vector<int8_t> in = RandomInt8(rng, static_cast<size_t>(c.h) * c.w * c.c);
  if (c.fill != 0) std::fill(in.begin(), in.end(), static_cast<int8_t>(c.fill));
  ExpectCortexM7EqualsHost(g, {AsBytes(in)}, "pool_grid_" + c.name);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QemuAveragePoolGrid,
    ::testing::Values(PoolCase{"same_3x3_s2", 7, 9, 8, 3, 3, 2, Padding::kSame},
                      PoolCase{"valid_2x3_s1_relu6", 5, 6, 12, 2, 3, 1, Padding::kValid, 0,
                               Activation::kRelu6},
                      PoolCase{"global_256_min", 16, 16, 4, 16, 16, 1, Padding::kValid, -128},
                      PoolCase{"global_256_max", 16, 16, 4, 16, 16, 1, Padding::kValid, 127},
                      PoolCase{"global_kws", 25, 5, 16, 25, 5, 1, Padding::kValid},
                      PoolCase{"global_257_c_loop", 1, 257, 4, 1, 257, 1, Padding::kValid},
                      PoolCase{"channels_6_c_loop", 4, 4, 6, 2, 2, 2, Padding::kSame}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace mcunet::testing
