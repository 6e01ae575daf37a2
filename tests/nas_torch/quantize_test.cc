// The post-training quantiser (nas/torch/quantize.h) on hand-made layers,
// against arithmetic written out here independently of it.
#include "nas/torch/quantize.h"

#include <gtest/gtest.h>

#include <cmath>

#include "arch/arch_builder.h"
#include "compiler/compile.h"

namespace mcunet {
namespace {

int RoundAway(double x) { return static_cast<int>(x < 0 ? -std::floor(-x + 0.5) : std::floor(x + 0.5)); }

TEST(Quantize, ConvWithBatchNormFoldsAndQuantisesPerChannel) {
  ConvBn layer(2, 2, 1, 1, 1, ArchActivation::kNone);
  const double w[2][2] = {{1.0, -3.0}, {0.5, 0.2}};
  const double gamma[2] = {2, 4}, beta[2] = {0.1, -0.2}, mean[2] = {0.5, 1}, var[2] = {3, 0.25};
  {
    torch::NoGradGuard guard;
    layer->conv->weight.copy_(torch::tensor({1.0f, -3.0f, 0.5f, 0.2f}).view({2, 2, 1, 1}));
    layer->bn->weight.copy_(torch::tensor({2.0f, 4.0f}));
    layer->bn->bias.copy_(torch::tensor({0.1f, -0.2f}));
    layer->bn->running_mean.copy_(torch::tensor({0.5f, 1.0f}));
    layer->bn->running_var.copy_(torch::tensor({3.0f, 0.25f}));
  }
  layer->eval();
  const double eps = layer->bn->options.eps();
  auto [fw, fb] = FoldBatchNorm(*layer);
  const float input_scale = 0.05f;
  const QuantizedConv q = QuantizeConv(fw, fb, false, input_scale, {0.1f, 3});
  ASSERT_EQ(q.weights.size(), 4u);
  ASSERT_EQ(q.weight_scales.size(), 2u);
  for (int c = 0; c < 2; ++c) {
    // BN: y = gamma (x - mean) / sqrt(var + eps) + beta.
    const double g = gamma[c] / std::sqrt(var[c] + eps);
    const double folded[2] = {w[c][0] * g, w[c][1] * g};
    const double bias = beta[c] - mean[c] * g;
    const double scale = std::max(std::abs(folded[0]), std::abs(folded[1])) / 127;
    EXPECT_NEAR(q.weight_scales[c], scale, 1e-6 * scale) << c;
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(q.weights[c * 2 + i], RoundAway(folded[i] / scale)) << c << " " << i;
    }
    EXPECT_EQ(q.bias[c], RoundAway(bias / (input_scale * scale))) << c;
  }
  // The figures themselves: channel 0 is [1, -3] x 2/sqrt(3): -3 is the largest.
  EXPECT_EQ(q.weights[0], 42);
  EXPECT_EQ(q.weights[1], -127);
  EXPECT_EQ(q.weights[2], 127);
  EXPECT_EQ(q.weights[3], 51);
  EXPECT_EQ(q.output.scale, 0.1f);
  EXPECT_EQ(q.output.zero_point, 3);
}

TEST(Quantize, DepthwiseWeightsAreWrittenAsOneKhKwChannels) {
  ConvBn layer(3, 3, 3, 1, 3, ArchActivation::kRelu6);
  {
    torch::NoGradGuard guard;
    torch::Tensor w = torch::empty({3, 1, 3, 3});
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) w[c][0][i][j] = (c + 1) * (i * 3 + j - 4.3f);
    layer->conv->weight.copy_(w);
  }
  layer->eval();  // fresh BN: mean 0, var 1, gamma 1, beta 0
  auto [fw, fb] = FoldBatchNorm(*layer);
  const QuantizedConv q = QuantizeConv(fw, fb, true, 1.0f, {});
  ASSERT_EQ(q.weights.size(), 27u);
  for (int c = 0; c < 3; ++c) {
    const double g = 1 / std::sqrt(1 + layer->bn->options.eps());
    const double scale = (c + 1) * 4.3 * g / 127;  // the largest |w| is at i = j = 0
    EXPECT_NEAR(q.weight_scales[c], scale, 1e-6 * scale);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        EXPECT_EQ(q.weights[(i * 3 + j) * 3 + c], RoundAway((c + 1) * (i * 3 + j - 4.3) * g / scale))
            << c << " " << i << " " << j;
  }
}

TEST(Quantize, ActivationRangesAsTflite) {
  const ActivationQuant relu6 = RangeToQuant(0, 6);  // a ReLU6 output that reached 6
  EXPECT_FLOAT_EQ(relu6.scale, 6.0f / 255);
  EXPECT_EQ(relu6.zero_point, -128);
  const ActivationQuant mixed = RangeToQuant(-1, 3);  // zero point -128 + 1 / (4 / 255) = -64.25
  EXPECT_FLOAT_EQ(mixed.scale, 4.0f / 255);
  EXPECT_EQ(mixed.zero_point, -64);
  const ActivationQuant positive = RangeToQuant(0.5f, 2);  // widened to hold 0
  EXPECT_FLOAT_EQ(positive.scale, 2.0f / 255);
  EXPECT_EQ(positive.zero_point, -128);
  const ActivationQuant negative = RangeToQuant(-2, -1);
  EXPECT_FLOAT_EQ(negative.scale, 2.0f / 255);
  EXPECT_EQ(negative.zero_point, 127);
}

TEST(Quantize, InputTakesImageBytesMinus128) {
  // Fashion-MNIST's statistics: (q - zp) * scale == (pixel / 255 - mean) / std for q = pixel - 128.
  const float mean = 0.2860f, std = 0.3530f;
  const ActivationQuant in = InputQuant({mean}, {std});
  EXPECT_FLOAT_EQ(in.scale, 1.0f / (255 * std));
  EXPECT_EQ(in.zero_point, 73 - 128);  // round(255 x 0.286 = 72.93)
  for (int pixel : {0, 73, 200, 255}) {
    const double real = (pixel - 128 - in.zero_point) * double(in.scale);
    EXPECT_NEAR(real, (pixel / 255.0 - mean) / std, 0.5 / (255 * std)) << pixel;
  }
}

TEST(Quantize, SeveralChannelsFoldTheirNormalisationIntoTheFirstConv) {
  torch::manual_seed(3);
  torch::Tensor w = torch::randn({4, 3, 3, 3}), b = torch::randn({4});
  const std::vector<float> mean = {0.4f, 0.5f, 0.6f}, std = {0.2f, 0.25f, 0.3f};
  const torch::Tensor x = torch::rand({1, 3, 5, 5});  // pixel / 255
  const torch::Tensor m = torch::tensor(mean).view({1, 3, 1, 1});
  const torch::Tensor s = torch::tensor(std).view({1, 3, 1, 1});
  // Without padding (the fold is exact away from the border).
  const torch::Tensor expected = torch::conv2d((x - m) / s, w, b);
  FoldInputNormalisation(w, b, mean, std);
  EXPECT_TRUE(torch::allclose(torch::conv2d(x, w, b), expected, 1e-4, 1e-4));
  const ActivationQuant in = InputQuant(mean, std);
  EXPECT_FLOAT_EQ(in.scale, 1.0f / 255);
  EXPECT_EQ(in.zero_point, -128);
}

ArchConfig TinyArch() {
  ArchConfig a;
  a.name = "tiny";
  a.resolution = 16;
  a.first_conv = {1, 8, 3, 2, ArchActivation::kRelu6};
  a.blocks.push_back({8, 8, 3, 1, 1, 8, true});
  a.blocks.push_back({8, 12, 3, 2, 3, 24, false});
  a.feature_mix = ConvLayerConfig{12, 16, 1, 1, ArchActivation::kRelu6};
  a.classifier_in = 16;
  a.num_classes = 10;
  return a;
}

TEST(Quantize, TrainedTensorsBuildTheSameGraphShapesAndPlan) {
  const ArchConfig arch = TinyArch();
  torch::manual_seed(1);
  ArchNet net(arch);
  const torch::Tensor calibration = torch::randn({20, 1, 16, 16});
  auto q = QuantizeArchNet(*net, calibration, {0.3f}, {0.35f}, 8);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->convs.size(), 1u + 2 + 3 + 1);
  ASSERT_EQ(q->adds.size(), 1u);
  // ReLU6 outputs lie in [0, 6]: zero point -128, scale at most 6/255.
  EXPECT_EQ(q->convs[0].output.zero_point, -128);
  EXPECT_LE(q->convs[0].output.scale, 6.0f / 255 * 1.0001f);
  ArchBuildOptions trained;
  trained.trained = &*q;
  auto with = BuildArchGraph(arch, trained);
  ASSERT_TRUE(with.ok()) << with.status().message();
  auto without = BuildArchGraph(arch);
  ASSERT_TRUE(without.ok());
  ASSERT_EQ(with->tensors.size(), without->tensors.size());
  for (size_t i = 0; i < with->tensors.size(); ++i) {
    EXPECT_EQ(with->tensors[i].shape, without->tensors[i].shape) << i;
  }
  EXPECT_FLOAT_EQ(with->tensors[with->inputs[0]].quant.scale(), q->input.scale);
  auto a = Compile(*with), b = Compile(*without);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->totals.peak_sram_bytes, b->totals.peak_sram_bytes);
  // A network with a layer less is refused, naming the mismatch.
  QuantizedArch missing = *q;
  missing.convs.pop_back();
  trained.trained = &missing;
  auto refused = BuildArchGraph(arch, trained);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("convolutions"), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace mcunet
