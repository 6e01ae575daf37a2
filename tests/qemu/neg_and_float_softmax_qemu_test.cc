// float32 SOFTMAX and LOG_SOFTMAX in the generated C on QEMU's Cortex-M7 (its
// single-precision FPU) give the host runtime's bits: e^x and ln are ours,
// without fused multiply-adds, so no libm's last bits enter. And NEG int8.
#include <gtest/gtest.h>

#include <random>

#include "qemu/single_op_qemu.h"

namespace mcunet::testing {
namespace {

TEST(QemuFloatSoftmax, CortexM7EqualsHostRuntime) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> dist(-20.0f, 20.0f);
  for (const OpKind kind : {OpKind::kSoftmax, OpKind::kLogSoftmax}) {
    SingleOpGraph g;
    const int in = g.AddTensor(DataType::kFloat32, {3, 37});
    const int out = g.AddTensor(DataType::kFloat32, {3, 37});
    g.SetNode(kind, {in}, {out},
              kind == OpKind::kSoftmax ? Attributes{SoftmaxAttrs{0.75f}} : Attributes{});
    std::vector<float> x(3 * 37);
    for (float& v : x) v = dist(rng);
    ExpectCortexM7EqualsHost(g, {AsBytes(x)}, std::string("float_") + OpKindName(kind));
  }
}

// NEG int8 (a table op): every input value, zero points whose sum clamps at
// both ends.
TEST(QemuNeg, CortexM7EqualsHostRuntime) {
  SingleOpGraph g;
  const int in = g.AddTensor(DataType::kInt8, {1, 16, 16}, {0.05f}, {100});
  const int out = g.AddTensor(DataType::kInt8, {1, 16, 16}, {0.05f}, {-90});
  g.SetNode(OpKind::kNeg, {in}, {out}, {});
  std::vector<uint8_t> input(256);
  for (int v = 0; v < 256; ++v) input[v] = static_cast<uint8_t>(v);
  ExpectCortexM7EqualsHost(g, {input}, "neg");
}

}  // namespace
}  // namespace mcunet::testing
