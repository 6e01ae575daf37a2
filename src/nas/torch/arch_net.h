// A standalone float network for one ArchConfig (ProxylessNAS layout: conv
// without bias, BN, ReLU6), so BN folds into the int8 graph the arch builder
// deploys. Used for extracted subnets, the MobileNetV2 baseline and fine-tuning.
#pragma once
#include <torch/torch.h>

#include "arch/arch.h"

namespace mcunet {

struct ConvBnImpl : torch::nn::Module {
  ConvBnImpl(int in, int out, int kernel, int stride, int groups, ArchActivation act);
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  ArchActivation activation;
};
TORCH_MODULE(ConvBn);

struct MBBlockImpl : torch::nn::Module {
  explicit MBBlockImpl(const MBConvConfig& c);
  torch::Tensor forward(torch::Tensor x);
  ConvBn expand{nullptr};  // absent when the expansion ratio is 1
  ConvBn depthwise{nullptr};
  ConvBn project{nullptr};
  bool residual = false;
};
TORCH_MODULE(MBBlock);

struct ArchNetImpl : torch::nn::Module {
  explicit ArchNetImpl(const ArchConfig& arch);
  torch::Tensor forward(torch::Tensor x);
  ArchConfig arch;
  ConvBn first_conv{nullptr};
  std::vector<MBBlock> blocks;
  ConvBn feature_mix{nullptr};
  torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(ArchNet);

torch::Tensor Activate(torch::Tensor x, ArchActivation act);

// oneDNN runs depthwise convolutions several times faster on channels-last
// tensors than on NCHW ones (measured: docs/nas-results.md). A 1-channel input
// cannot carry the format, so networks switch to it after their first
// convolution and every later layer keeps it.
inline constexpr auto kFastCpuFormat = at::MemoryFormat::ChannelsLast;

}  // namespace mcunet
