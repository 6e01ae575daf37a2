// QUANTIZE float -> int8 on the emulated Cortex-M7 (the FPU's truncation and
// saturating adds) against the host runtime (checked against the spec in
// tests/kernels/quantize_test.cc): every half and quarter step across the int8
// range and beyond (ties round away from zero), tiny and negative-zero values,
// the edges of int32 (2147483520 is the largest float below 2^31), infinities
// and NaN (quantised as 0).
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "qemu/single_op_qemu.h"

namespace mcunet::testing {
namespace {

class QemuQuantizeGrid : public ::testing::TestWithParam<std::pair<float, int>> {};

TEST_P(QemuQuantizeGrid, CortexM7EqualsHostRuntime) {
  const auto [scale, zp] = GetParam();
  std::vector<float> in;
  for (int i = -1200; i <= 1200; ++i) in.push_back(scale * static_cast<float>(i) / 4);
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {1e-45f, -1e-45f, -0.0f, 2147483520.0f, -2147483520.0f, 2147483648.0f,
                  -2147483648.0f, 3e9f, -3e9f, inf, -inf, std::numeric_limits<float>::quiet_NaN()})
    in.push_back(v), in.push_back(v * scale);
  std::mt19937 rng(static_cast<unsigned>(zp + 1000));
  std::uniform_real_distribution<float> any(-200.0f * scale, 200.0f * scale);
  for (int i = 0; i < 500; ++i) in.push_back(any(rng));
  const int32_t n = static_cast<int32_t>(in.size());
  SingleOpGraph g;
  const int ti = g.AddTensor(DataType::kFloat32, {n});
  const int to = g.AddTensor(DataType::kInt8, {n}, {scale}, {zp});
  g.SetNode(OpKind::kQuantize, {ti}, {to}, std::monostate{});
  ExpectCortexM7EqualsHost(g, {AsBytes(in)}, "quantize_grid_" + std::to_string(zp + 128));
}

INSTANTIATE_TEST_SUITE_P(Scales, QemuQuantizeGrid,
                         ::testing::Values(std::pair<float, int>{0.5f, -3},
                                           std::pair<float, int>{0.0037f, 100},
                                           std::pair<float, int>{3.0f, -128}));

}  // namespace
}  // namespace mcunet::testing
