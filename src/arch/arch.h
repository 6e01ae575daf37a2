// A MobileNetV2-style network as ProxylessNAS/MCUNet describe it in JSON
// (first_conv, blocks of MBInvertedConvLayer with optional identity shortcut,
// optional feature_mix_layer, classifier, resolution), so released MCUNet
// networks and ours are interchangeable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace mcunet {

enum class ArchActivation { kNone, kRelu, kRelu6 };

struct ConvLayerConfig {
  int in_channels = 0, out_channels = 0, kernel_size = 1, stride = 1;
  ArchActivation activation = ArchActivation::kRelu6;
};

struct MBConvConfig {
  int in_channels = 0, out_channels = 0, kernel_size = 3, stride = 1;
  int expand_ratio = 1;
  int mid_channels = 0;   // channels after expansion (in_channels when expand_ratio is 1)
  bool residual = false;  // identity shortcut: output = block(x) + x
};

struct ArchConfig {
  std::string name;
  int resolution = 224;
  ConvLayerConfig first_conv;
  std::vector<MBConvConfig> blocks;  // ZeroLayer (skipped) blocks are dropped
  std::optional<ConvLayerConfig> feature_mix;
  int classifier_in = 0, num_classes = 1000;
};

// Parses and checks the JSON (channel counts chain, strides 1 or 2, odd kernels).
Expected<ArchConfig> ParseArchJson(const std::string& json_text);
Expected<ArchConfig> ReadArchFile(const std::string& path);

}  // namespace mcunet
