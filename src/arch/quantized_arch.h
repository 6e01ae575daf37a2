// Trained, quantised tensors of one ArchConfig, in plain C++ types so the arch
// builder (no torch) can lay them out: the quantiser (nas/torch/quantize.h)
// fills them, BuildArchGraph (arch_builder.h) consumes them instead of its
// pseudo-random ones. The layout is TFLite's, so the builder copies bytes.
#pragma once

#include <cstdint>
#include <vector>

namespace mcunet {

// One per-tensor asymmetric int8 quantisation: real = (q - zero_point) * scale.
struct ActivationQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// A convolution with BN folded in.
struct QuantizedConv {
  // CONV_2D: [out, kh, kw, in]; DEPTHWISE_CONV_2D: [1, kh, kw, channels].
  std::vector<int8_t> weights;
  std::vector<float> weight_scales;  // per output channel, symmetric (zero point 0)
  std::vector<int32_t> bias;         // at input scale x weight_scales[c]
  ActivationQuant output;            // after the fused activation
};

struct QuantizedFullyConnected {
  std::vector<int8_t> weights;  // [out, in]
  float weight_scale = 1.0f;    // per tensor, symmetric
  std::vector<int32_t> bias;    // at input scale x weight_scale
  ActivationQuant output;
};

struct QuantizedArch {
  ActivationQuant input;
  // In the builder's order: first_conv; per block [expand,] depthwise, project;
  // feature_mix.
  std::vector<QuantizedConv> convs;
  std::vector<ActivationQuant> adds;  // output of each residual ADD, in block order
  QuantizedFullyConnected classifier;
};

}  // namespace mcunet
