// The weight-sharing supernet of one search space (Once-for-All style): every
// network of the space is a subnet. Elastic kernel: one 7x7 depthwise kernel per
// block whose centre gives 5x5 and 3x3 through small learned transforms;
// elastic expansion: the first channels of the widest block (re-ordered by
// importance); elastic depth: the first blocks of a stage. BN layers keep
// per-channel parameters for the widest case and are recalibrated per subnet.
#pragma once
#include <torch/torch.h>

#include "nas/search_space.h"
#include "nas/torch/arch_net.h"

namespace mcunet {

// kBatch: normalise with batch statistics (training). kRecalibrate: the same,
// and accumulate the statistics; EndRecalibration() stores their mean.
// kRunning: normalise with the stored statistics (evaluation).
enum class BnMode { kBatch, kRecalibrate, kRunning };

struct ElasticBnImpl : torch::nn::Module {
  explicit ElasticBnImpl(int channels);
  torch::Tensor forward(torch::Tensor x);
  torch::Tensor weight, bias, running_mean, running_var;
  torch::Tensor sum_mean, sum_var;  // recalibration accumulators (not saved)
  int64_t seen = 0, seen_channels = 0;
  BnMode mode = BnMode::kBatch;
};
TORCH_MODULE(ElasticBn);

// A convolution whose BN is recalibrated per subnet (stem, fixed blocks).
struct FixedConvImpl : torch::nn::Module {
  FixedConvImpl(int in, int out, int kernel, int stride, int groups, ArchActivation act);
  torch::Tensor forward(torch::Tensor x);
  torch::Tensor weight;
  ElasticBn bn{nullptr};
  int stride, groups;
  ArchActivation activation;
};
TORCH_MODULE(FixedConv);

// One searchable MBConv position: fixed in/out channels, elastic kernel and expansion.
struct ElasticBlockImpl : torch::nn::Module {
  ElasticBlockImpl(int in, int out, int stride);
  torch::Tensor forward(torch::Tensor x, int kernel, int mid);
  torch::Tensor DepthwiseKernel(int kernel, int mid);  // [mid, 1, k, k]
  int in_channels, out_channels, stride, max_mid;
  torch::Tensor expand_weight, depthwise_weight, project_weight;
  torch::Tensor transform_7to5, transform_5to3;
  ElasticBn expand_bn{nullptr}, depthwise_bn{nullptr}, project_bn{nullptr};
};
TORCH_MODULE(ElasticBlock);

struct SupernetImpl : torch::nn::Module {
  explicit SupernetImpl(const SearchSpace& space);
  torch::Tensor forward(torch::Tensor x, const ArchGenome& genome);

  void SetBnMode(BnMode mode);
  void BeginRecalibration();  // switches to kRecalibrate and clears the accumulators
  void EndRecalibration();    // stores the accumulated statistics, switches to kRunning
  // Sorts each block's expanded channels by the L1 norm of their projection
  // weights (most important first). The largest network computes the same
  // function; smaller expansions then keep the most important channels.
  // Returns each permuted parameter with the dimension and order applied, so
  // an optimiser's momentum can follow.
  std::vector<std::tuple<torch::Tensor, int, torch::Tensor>> ReorderChannelsByImportance();
  // A standalone network with this subnet's weights and current BN statistics.
  ArchNet Extract(const ArchGenome& genome);

  SearchSpace space;
  FixedConv first_conv{nullptr};
  // Fixed first block (depthwise 3x3, no expansion) and last block (k3, e6).
  FixedConv first_depthwise{nullptr}, first_project{nullptr};
  std::vector<std::vector<ElasticBlock>> stages;
  FixedConv last_expand{nullptr}, last_depthwise{nullptr}, last_project{nullptr};
  torch::nn::Linear classifier{nullptr};
  ArchConfig largest;  // the arch of the largest subnet (channel counts of fixed parts)
};
TORCH_MODULE(Supernet);

}  // namespace mcunet
