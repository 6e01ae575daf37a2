// Quantisation-aware training's forward pass (nas/torch/qat.h): fake
// quantisation on hand-derived values, and the whole network's fake-quantised
// logits against the int8 graph our engine runs with the same quantisation.
#include "nas/torch/qat.h"

#include <gtest/gtest.h>

#include "arch/arch_builder.h"
#include "compiler/compile.h"
#include "nas/torch/quantize.h"
#include "runtime/executor.h"

namespace mcunet {
namespace {

TEST(Qat, FakeQuantizeRoundsToTheInt8GridAndPassesGradients) {
  const ActivationQuant q{0.5f, -10};
  // round(x / 0.5) - 10 clamped to [-128, 127], then back: (level + 10) * 0.5.
  torch::Tensor x = torch::tensor({0.26f, 0.74f, -1.1f, 100.0f, -100.0f}).requires_grad_(true);
  const torch::Tensor y = FakeQuantize(x, q);
  const std::vector<float> expected = {0.5f, 0.5f, -1.0f, (127 + 10) * 0.5f, (-128 + 10) * 0.5f};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_FLOAT_EQ(y[static_cast<int64_t>(i)].item<float>(), expected[i]) << i;
  }
  y.sum().backward();
  EXPECT_TRUE(torch::equal(x.grad(), torch::ones({5})));  // straight through
}

ArchConfig SmallArch() {
  ArchConfig a;
  a.name = "small";
  a.resolution = 16;
  a.first_conv = {1, 8, 3, 2, ArchActivation::kRelu6};
  a.blocks.push_back({8, 8, 3, 1, 1, 8, true});
  a.blocks.push_back({8, 12, 5, 2, 3, 24, false});
  a.blocks.push_back({12, 12, 3, 1, 4, 48, true});
  a.feature_mix = ConvLayerConfig{12, 16, 1, 1, ArchActivation::kRelu6};
  a.classifier_in = 16;
  a.num_classes = 10;
  return a;
}

TEST(Qat, ForwardMatchesTheInt8GraphOnTheSameQuantisation) {
  const ArchConfig arch = SmallArch();
  torch::manual_seed(3);
  ArchNet net(arch);
  // Non-trivial BN statistics, as after training.
  for (auto& buffer : net->named_buffers()) {
    if (buffer.key().find("running_mean") != std::string::npos) buffer.value().uniform_(-0.2, 0.2);
    if (buffer.key().find("running_var") != std::string::npos) buffer.value().uniform_(0.5, 1.5);
  }
  net->eval();
  // Image bytes; mean 51/255 makes the int8 input (pixel - 128) exact.
  const float mean = 51.0f / 255, std = 0.35f;
  const torch::Tensor pixels = torch::randint(0, 256, {32, 1, 16, 16});
  const torch::Tensor x = (pixels.to(torch::kFloat) / 255 - mean) / std;
  auto ranges = QuantizeArchNet(*net, x, {mean}, {std}, 16);
  ASSERT_TRUE(ranges.ok()) << ranges.status().message();
  torch::Tensor logits;
  {
    torch::NoGradGuard guard;
    logits = QatForward(*net, *ranges, x);
  }
  ArchBuildOptions build;
  build.trained = &*ranges;
  auto graph = BuildArchGraph(arch, build);
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  auto compiled = Compile(std::move(*graph));
  ASSERT_TRUE(compiled.ok()) << compiled.status().message();
  auto executor = Executor::Create(std::move(compiled).value());
  ASSERT_TRUE(executor.ok()) << executor.status().message();
  const ActivationQuant out = ranges->classifier.output;
  int64_t equal = 0, total = 0, argmax_equal = 0;
  float worst = 0;
  for (int64_t n = 0; n < pixels.size(0); ++n) {
    std::vector<uint8_t> input(16 * 16);
    for (int64_t i = 0; i < 256; ++i) {
      input[static_cast<size_t>(i)] =
          static_cast<uint8_t>(pixels[n].view({-1})[i].item<int64_t>() - 128);
    }
    ASSERT_TRUE((*executor)->SetInput(0, input).ok());
    ASSERT_TRUE((*executor)->Invoke().ok());
    const auto o = (*executor)->Output(0);
    std::vector<float> int8_logits;
    for (uint8_t v : o) int8_logits.push_back((static_cast<int8_t>(v) - out.zero_point) * out.scale);
    const torch::Tensor engine = torch::tensor(int8_logits);
    const torch::Tensor simulated = logits[n];
    const torch::Tensor steps = ((engine - simulated) / out.scale).abs();
    worst = std::max(worst, steps.max().item<float>());
    equal += (steps < 0.5).sum().item<int64_t>();
    total += steps.numel();
    argmax_equal += engine.argmax().item<int64_t>() == simulated.argmax().item<int64_t>();
  }
  // Float arithmetic against integer requantisation: the same grid point
  // almost always, never far off.
  EXPECT_GE(equal, total * 9 / 10) << equal << " of " << total;
  EXPECT_LE(worst, 3.0f);
  EXPECT_GE(argmax_equal, pixels.size(0) * 9 / 10);
}

}  // namespace
}  // namespace mcunet
