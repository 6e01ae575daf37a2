#include "nas/search_space.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace mcunet {
namespace {

template <size_t N>
int Pick(const std::array<int, N>& choices, std::mt19937& rng) {
  return choices[rng() % N];
}

}  // namespace

int MakeDivisible(double v, int divisor) {
  int rounded = std::max(divisor, static_cast<int>(v + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

ArchGenome SampleGenome(std::mt19937& rng) {
  ArchGenome g;
  for (int s = 0; s < kStages; ++s) {
    g.depth[s] = Pick(kDepthChoices, rng);
    for (int b = 0; b < kMaxDepth; ++b) {
      g.kernel[s][b] = Pick(kKernelChoices, rng);
      g.expand[s][b] = Pick(kExpandChoices, rng);
    }
  }
  return g;
}

ArchGenome Mutate(const ArchGenome& parent, double p, std::mt19937& rng) {
  ArchGenome g = parent;
  const auto chance = [&] { return (rng() % 1000000) < p * 1000000; };
  for (int s = 0; s < kStages; ++s) {
    if (chance()) g.depth[s] = Pick(kDepthChoices, rng);
    for (int b = 0; b < kMaxDepth; ++b) {
      if (chance()) g.kernel[s][b] = Pick(kKernelChoices, rng);
      if (chance()) g.expand[s][b] = Pick(kExpandChoices, rng);
    }
  }
  return g;
}

ArchGenome Crossover(const ArchGenome& a, const ArchGenome& b, std::mt19937& rng) {
  ArchGenome g;
  for (int s = 0; s < kStages; ++s) {
    g.depth[s] = (rng() & 1) ? a.depth[s] : b.depth[s];
    for (int k = 0; k < kMaxDepth; ++k) {
      g.kernel[s][k] = (rng() & 1) ? a.kernel[s][k] : b.kernel[s][k];
      g.expand[s][k] = (rng() & 1) ? a.expand[s][k] : b.expand[s][k];
    }
  }
  return g;
}

ArchConfig GenomeToArch(const ArchGenome& g, const SearchSpace& space) {
  ArchConfig a;
  a.name = "tinynas";
  a.resolution = space.resolution;
  a.first_conv = {space.input_channels, MakeDivisible(32 * space.width), 3, 2,
                  ArchActivation::kRelu6};
  int channels = a.first_conv.out_channels;
  // The fixed first block: depthwise 3x3, no expansion.
  const int first_out = MakeDivisible(16 * space.width);
  // Residual wherever stride 1 and channels match (the space's rule).
  a.blocks.push_back({channels, first_out, 3, 1, 1, channels, channels == first_out});
  channels = first_out;
  for (int s = 0; s < kStages; ++s) {
    const int width = MakeDivisible(kStageWidths[s] * space.width);
    for (int b = 0; b < g.depth[s]; ++b) {
      MBConvConfig block;
      block.in_channels = channels;
      block.out_channels = width;
      block.kernel_size = g.kernel[s][b];
      block.stride = b == 0 ? kStageStrides[s] : 1;
      block.expand_ratio = g.expand[s][b];
      block.mid_channels = MakeDivisible(channels * g.expand[s][b]);
      block.residual = block.stride == 1 && channels == width;
      a.blocks.push_back(block);
      channels = width;
    }
  }
  const int last = MakeDivisible(320 * space.width);
  a.blocks.push_back({channels, last, 3, 1, 6, MakeDivisible(channels * 6), channels == last});
  a.classifier_in = last;
  a.num_classes = space.num_classes;
  return a;
}

std::string ArchToJson(const ArchConfig& a) {
  using nlohmann::json;
  const auto act = [](ArchActivation x) -> json {
    if (x == ArchActivation::kRelu6) return "relu6";
    if (x == ArchActivation::kRelu) return "relu";
    return nullptr;
  };
  const auto conv_layer = [&](const ConvLayerConfig& c) {
    return json{{"name", "ConvLayer"},
                {"kernel_size", c.kernel_size},
                {"stride", c.stride},
                {"dilation", 1},
                {"groups", 1},
                {"bias", false},
                {"has_shuffle", false},
                {"in_channels", c.in_channels},
                {"out_channels", c.out_channels},
                {"use_bn", true},
                {"act_func", act(c.activation)},
                {"dropout_rate", 0},
                {"ops_order", "weight_bn_act"}};
  };
  json blocks = json::array();
  for (const MBConvConfig& b : a.blocks) {
    json shortcut = nullptr;
    if (b.residual) {
      shortcut = {{"name", "IdentityLayer"},
                  {"in_channels", {b.in_channels}},
                  {"out_channels", {b.out_channels}},
                  {"use_bn", false},
                  {"act_func", nullptr},
                  {"dropout_rate", 0},
                  {"ops_order", "weight_bn_act"}};
    }
    blocks.push_back(
        {{"name", "MobileInvertedResidualBlock"},
         {"mobile_inverted_conv",
          {{"name", "MBInvertedConvLayer"},
           {"in_channels", b.in_channels},
           {"out_channels", b.out_channels},
           {"kernel_size", b.kernel_size},
           {"stride", b.stride},
           {"expand_ratio", b.expand_ratio},
           {"mid_channels", b.expand_ratio == 1 ? json(nullptr) : json(b.mid_channels)},
           {"act_func", "relu6"},
           {"use_se", false}}},
         {"shortcut", shortcut}});
  }
  json j = {{"name", a.name.empty() ? "ProxylessNASNets" : a.name},
            {"bn", {{"momentum", 0.1}, {"eps", 1e-5}}},
            {"first_conv", conv_layer(a.first_conv)},
            {"blocks", blocks},
            {"feature_mix_layer", a.feature_mix ? conv_layer(*a.feature_mix) : json(nullptr)},
            {"classifier",
             {{"name", "LinearLayer"},
              {"in_features", a.classifier_in},
              {"out_features", a.num_classes},
              {"bias", true},
              {"use_bn", false},
              {"act_func", nullptr},
              {"dropout_rate", 0},
              {"ops_order", "weight_bn_act"}}},
            {"resolution", a.resolution}};
  return j.dump(2);
}

}  // namespace mcunet
