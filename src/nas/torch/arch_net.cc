#include "nas/torch/arch_net.h"

#include <string>

namespace mcunet {

torch::Tensor Activate(torch::Tensor x, ArchActivation act) {
  switch (act) {
    case ArchActivation::kRelu6:
      return torch::hardtanh(x, 0.0, 6.0);
    case ArchActivation::kRelu:
      return torch::relu(x);
    case ArchActivation::kNone:
      break;
  }
  return x;
}

ConvBnImpl::ConvBnImpl(int in, int out, int kernel, int stride, int groups, ArchActivation act)
    : activation(act) {
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                                       .stride(stride)
                                                       .padding(kernel / 2)
                                                       .groups(groups)
                                                       .bias(false)));
  bn = register_module("bn", torch::nn::BatchNorm2d(out));
}

torch::Tensor ConvBnImpl::forward(torch::Tensor x) { return Activate(bn(conv(x)), activation); }

MBBlockImpl::MBBlockImpl(const MBConvConfig& c) : residual(c.residual) {
  if (c.expand_ratio != 1) {
    expand = register_module(
        "expand", ConvBn(c.in_channels, c.mid_channels, 1, 1, 1, ArchActivation::kRelu6));
  }
  depthwise = register_module("depthwise", ConvBn(c.mid_channels, c.mid_channels, c.kernel_size,
                                                  c.stride, c.mid_channels, ArchActivation::kRelu6));
  project = register_module(
      "project", ConvBn(c.mid_channels, c.out_channels, 1, 1, 1, ArchActivation::kNone));
}

torch::Tensor MBBlockImpl::forward(torch::Tensor x) {
  torch::Tensor y = expand ? expand(x) : x;
  y = project(depthwise(y));
  return residual ? y + x : y;
}

ArchNetImpl::ArchNetImpl(const ArchConfig& a) : arch(a) {
  const ConvLayerConfig& f = a.first_conv;
  first_conv = register_module(
      "first_conv", ConvBn(f.in_channels, f.out_channels, f.kernel_size, f.stride, 1, f.activation));
  for (size_t i = 0; i < a.blocks.size(); ++i) {
    blocks.push_back(register_module("block" + std::to_string(i), MBBlock(a.blocks[i])));
  }
  if (a.feature_mix) {
    const ConvLayerConfig& m = *a.feature_mix;
    feature_mix = register_module(
        "feature_mix", ConvBn(m.in_channels, m.out_channels, 1, 1, 1, m.activation));
  }
  classifier = register_module("classifier", torch::nn::Linear(a.classifier_in, a.num_classes));
}

torch::Tensor ArchNetImpl::forward(torch::Tensor x) {
  x = first_conv(x).contiguous(kFastCpuFormat);
  for (MBBlock& b : blocks) x = b(x);
  if (feature_mix) x = feature_mix(x);
  return classifier(x.mean({2, 3}));
}

}  // namespace mcunet
