// FULLY_CONNECTED int8 on the emulated Cortex-M7 against the host runtime
// (checked against the spec in tests/kernels/fully_connected_test.cc). The DSP
// path takes four rows at a time over groups of four inputs; the cases reach
// its edges: rows and inputs left over after the blocks (1 to 3 of each),
// inputs fewer than a group, batches, per-tensor and per-channel scales,
// input zero points at both ends, a fused RELU, and a weights' zero point
// (the portable loop's case).
#include <gtest/gtest.h>

#include <random>

#include "qemu/single_op_qemu.h"

namespace mcunet::testing {
namespace {

struct FcGridCase {
  std::string name;
  int batches, in_depth, out_depth;
  bool per_channel;
  int input_zp;
  int filter_zp = 0;
  Activation act = Activation::kNone;
};

class QemuFullyConnectedGrid : public ::testing::TestWithParam<FcGridCase> {};

TEST_P(QemuFullyConnectedGrid, CortexM7EqualsHostRuntime) {
  const FcGridCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.name)));
  std::uniform_real_distribution<float> scale(0.002f, 0.02f);
  std::vector<float> s_w(c.per_channel ? c.out_depth : 1);
  for (auto& s : s_w) s = scale(rng);
  const auto w = RandomInt8(rng, static_cast<size_t>(c.out_depth) * c.in_depth);
  std::vector<int32_t> bias(c.out_depth);
  for (auto& b : bias) b = static_cast<int32_t>(rng() % 20001) - 10000;
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {c.batches, c.in_depth}, {0.05f}, {c.input_zp});
  const int t_w = g.AddConstant(DataType::kInt8, {c.out_depth, c.in_depth}, w, s_w,
                                std::vector<int64_t>(s_w.size(), c.filter_zp));
  const int t_b = g.AddConstant(DataType::kInt32, {c.out_depth}, bias, {0.05f * s_w[0]}, {0});
  const int t_out = g.AddTensor(DataType::kInt8, {c.batches, c.out_depth}, {0.5f}, {7});
  FullyConnectedAttrs a;
  a.activation = c.act;
  g.SetNode(OpKind::kFullyConnected, {t_in, t_w, t_b}, {t_out}, a);
  const auto in = RandomInt8(rng, static_cast<size_t>(c.batches) * c.in_depth);
  ExpectCortexM7EqualsHost(g, {AsBytes(in)}, "fc_grid_" + c.name);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QemuFullyConnectedGrid,
    ::testing::Values(FcGridCase{"blocks_only", 1, 64, 8, true, -128},
                      FcGridCase{"rows_and_inputs_left", 2, 67, 11, true, 127},
                      FcGridCase{"one_input_left_per_tensor", 1, 33, 6, false, 5},
                      FcGridCase{"fewer_inputs_than_a_group", 3, 3, 9, true, 0},
                      FcGridCase{"relu_two_left", 1, 130, 14, true, -3, 0, Activation::kRelu},
                      FcGridCase{"filter_zero_point", 2, 40, 9, false, 11, -4}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace mcunet::testing
