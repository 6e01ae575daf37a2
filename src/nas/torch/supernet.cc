#include "nas/torch/supernet.h"

#include <string>

#include "nas/evolution.h"

namespace mcunet {
namespace {

using torch::indexing::Slice;

torch::Tensor KaimingConv(int out, int in_per_group, int k) {
  torch::Tensor w = torch::empty({out, in_per_group, k, k});
  torch::nn::init::kaiming_normal_(w, 0.0, torch::kFanOut);
  return w;
}

// Copies `from` into `to` (same shape), without recording gradients.
void CopyInto(torch::Tensor to, const torch::Tensor& from) {
  torch::NoGradGuard guard;
  TORCH_CHECK(to.sizes() == from.sizes(), "extract: shape mismatch ", to.sizes(), " vs ",
              from.sizes());
  to.copy_(from);
}

void CopyBn(torch::nn::BatchNorm2d& to, const ElasticBn& from, int channels) {
  CopyInto(to->weight, from->weight.index({Slice(0, channels)}));
  CopyInto(to->bias, from->bias.index({Slice(0, channels)}));
  CopyInto(to->running_mean, from->running_mean.index({Slice(0, channels)}));
  CopyInto(to->running_var, from->running_var.index({Slice(0, channels)}));
}

void CopyFixed(ConvBn& to, const FixedConv& from) {
  CopyInto(to->conv->weight, from->weight);
  CopyBn(to->bn, from->bn, static_cast<int>(from->weight.size(0)));
}

}  // namespace

ElasticBnImpl::ElasticBnImpl(int channels) {
  weight = register_parameter("weight", torch::ones({channels}));
  bias = register_parameter("bias", torch::zeros({channels}));
  running_mean = register_buffer("running_mean", torch::zeros({channels}));
  running_var = register_buffer("running_var", torch::ones({channels}));
  sum_mean = torch::zeros({channels}, torch::kDouble);
  sum_var = torch::zeros({channels}, torch::kDouble);
}

torch::Tensor ElasticBnImpl::forward(torch::Tensor x) {
  const int64_t c = x.size(1);
  const auto w = weight.index({Slice(0, c)}), b = bias.index({Slice(0, c)});
  constexpr double kEps = 1e-5;
  if (mode == BnMode::kRunning) {
    return torch::batch_norm(x, w, b, running_mean.index({Slice(0, c)}),
                             running_var.index({Slice(0, c)}), false, 0.0, kEps, false);
  }
  if (mode == BnMode::kRecalibrate) {
    torch::NoGradGuard guard;
    const int64_t n = x.size(0);
    // Batch statistics weighted by batch size (Once-for-All's set_running_statistics).
    sum_mean.index({Slice(0, c)}) += x.mean({0, 2, 3}).to(torch::kDouble) * n;
    sum_var.index({Slice(0, c)}) += x.var({0, 2, 3}, false).to(torch::kDouble) * n;
    seen += n;
    seen_channels = c;  // subnets use a prefix of the channels, one width per layer
  }
  return torch::batch_norm(x, w, b, {}, {}, true, 0.0, kEps, false);
}

FixedConvImpl::FixedConvImpl(int in, int out, int kernel, int s, int g, ArchActivation act)
    : stride(s), groups(g), activation(act) {
  weight = register_parameter("weight", KaimingConv(out, in / g, kernel));
  bn = register_module("bn", ElasticBn(out));
}

torch::Tensor FixedConvImpl::forward(torch::Tensor x) {
  const int64_t k = weight.size(2);
  return Activate(bn(torch::conv2d(x, weight, {}, stride, k / 2, 1, groups)), activation);
}

ElasticBlockImpl::ElasticBlockImpl(int in, int out, int s)
    : in_channels(in), out_channels(out), stride(s) {
  max_mid = MakeDivisible(in * kExpandChoices.back());
  expand_weight = register_parameter("expand_weight", KaimingConv(max_mid, in, 1));
  depthwise_weight = register_parameter("depthwise_weight", KaimingConv(max_mid, 1, 7));
  project_weight = register_parameter("project_weight", KaimingConv(out, max_mid, 1));
  transform_7to5 = register_parameter("transform_7to5", torch::eye(25));
  transform_5to3 = register_parameter("transform_5to3", torch::eye(9));
  expand_bn = register_module("expand_bn", ElasticBn(max_mid));
  depthwise_bn = register_module("depthwise_bn", ElasticBn(max_mid));
  project_bn = register_module("project_bn", ElasticBn(out));
}

torch::Tensor ElasticBlockImpl::DepthwiseKernel(int kernel, int mid) {
  torch::Tensor w = depthwise_weight.index({Slice(0, mid)});
  if (kernel == 7) return w;
  // The centre 5x5 through a learned 25x25 map (identity at start), then its
  // centre 3x3 through a 9x9 map, shared by all channels of the layer.
  w = w.index({Slice(), Slice(), Slice(1, 6), Slice(1, 6)}).reshape({mid, 25});
  w = torch::matmul(w, transform_7to5).reshape({mid, 1, 5, 5});
  if (kernel == 5) return w;
  w = w.index({Slice(), Slice(), Slice(1, 4), Slice(1, 4)}).reshape({mid, 9});
  return torch::matmul(w, transform_5to3).reshape({mid, 1, 3, 3});
}

torch::Tensor ElasticBlockImpl::forward(torch::Tensor x, int kernel, int mid) {
  torch::Tensor y = torch::conv2d(x, expand_weight.index({Slice(0, mid)}));
  y = Activate(expand_bn(y), ArchActivation::kRelu6);
  y = torch::conv2d(y, DepthwiseKernel(kernel, mid), {}, stride, kernel / 2, 1, mid);
  y = Activate(depthwise_bn(y), ArchActivation::kRelu6);
  y = project_bn(torch::conv2d(y, project_weight.index({Slice(), Slice(0, mid)})));
  return stride == 1 && in_channels == out_channels ? y + x : y;
}

SupernetImpl::SupernetImpl(const SearchSpace& s) : space(s) {
  largest = GenomeToArch(LargestGenome(), space);
  const ConvLayerConfig& f = largest.first_conv;
  first_conv = register_module(
      "first_conv", FixedConv(f.in_channels, f.out_channels, 3, f.stride, 1, f.activation));
  const MBConvConfig& b0 = largest.blocks.front();
  first_depthwise = register_module(
      "first_depthwise", FixedConv(b0.mid_channels, b0.mid_channels, 3, 1, b0.mid_channels,
                                   ArchActivation::kRelu6));
  first_project = register_module(
      "first_project",
      FixedConv(b0.mid_channels, b0.out_channels, 1, 1, 1, ArchActivation::kNone));
  size_t next = 1;
  for (int st = 0; st < kStages; ++st) {
    std::vector<ElasticBlock> blocks;
    for (int b = 0; b < kMaxDepth; ++b, ++next) {
      const MBConvConfig& c = largest.blocks[next];
      blocks.push_back(register_module("stage" + std::to_string(st) + "_block" + std::to_string(b),
                                     ElasticBlock(c.in_channels,
                                                                      c.out_channels, c.stride)));
    }
    stages.push_back(std::move(blocks));
  }
  const MBConvConfig& last = largest.blocks.back();
  last_expand = register_module(
      "last_expand",
      FixedConv(last.in_channels, last.mid_channels, 1, 1, 1, ArchActivation::kRelu6));
  last_depthwise = register_module(
      "last_depthwise", FixedConv(last.mid_channels, last.mid_channels, 3, 1, last.mid_channels,
                                  ArchActivation::kRelu6));
  last_project = register_module(
      "last_project",
      FixedConv(last.mid_channels, last.out_channels, 1, 1, 1, ArchActivation::kNone));
  classifier =
      register_module("classifier", torch::nn::Linear(largest.classifier_in, largest.num_classes));
}

torch::Tensor SupernetImpl::forward(torch::Tensor x, const ArchGenome& g) {
  x = first_conv(x).contiguous(kFastCpuFormat);
  {
    torch::Tensor y = first_project(first_depthwise(x));
    x = largest.blocks.front().residual ? y + x : y;
  }
  for (int st = 0; st < kStages; ++st) {
    for (int b = 0; b < g.depth[st]; ++b) {
      ElasticBlock& block = stages[st][b];
      x = block->forward(x, g.kernel[st][b], MakeDivisible(block->in_channels * g.expand[st][b]));
    }
  }
  {
    torch::Tensor y = last_project(last_depthwise(last_expand(x)));
    x = largest.blocks.back().residual ? y + x : y;
  }
  return classifier(x.mean({2, 3}));
}

void SupernetImpl::SetBnMode(BnMode mode) {
  for (auto& m : modules()) {
    if (auto* bn = dynamic_cast<ElasticBnImpl*>(m.get())) bn->mode = mode;
  }
}

void SupernetImpl::BeginRecalibration() {
  for (auto& m : modules()) {
    if (auto* bn = dynamic_cast<ElasticBnImpl*>(m.get())) {
      bn->mode = BnMode::kRecalibrate;
      bn->sum_mean.zero_();
      bn->sum_var.zero_();
      bn->seen = 0;
    }
  }
}

void SupernetImpl::EndRecalibration() {
  torch::NoGradGuard guard;
  for (auto& m : modules()) {
    if (auto* bn = dynamic_cast<ElasticBnImpl*>(m.get())) {
      bn->mode = BnMode::kRunning;
      if (bn->seen == 0) continue;  // a layer this subnet does not use
      const auto used = Slice(0, bn->seen_channels);
      const double n = static_cast<double>(bn->seen);
      bn->running_mean.index({used}).copy_(bn->sum_mean.index({used}) / n);
      bn->running_var.index({used}).copy_(bn->sum_var.index({used}) / n);
    }
  }
}

std::vector<std::tuple<torch::Tensor, int, torch::Tensor>>
SupernetImpl::ReorderChannelsByImportance() {
  torch::NoGradGuard guard;
  std::vector<std::tuple<torch::Tensor, int, torch::Tensor>> permuted;
  const auto permute = [&](torch::Tensor t, int dim, const torch::Tensor& order) {
    t.copy_(t.index_select(dim, order));
    if (t.requires_grad()) permuted.emplace_back(t, dim, order);
  };
  for (auto& stage : stages) {
    for (ElasticBlock& b : stage) {
      const torch::Tensor importance = b->project_weight.abs().sum({0, 2, 3});
      const torch::Tensor order = std::get<1>(importance.sort(0, /*descending=*/true));
      permute(b->expand_weight, 0, order);
      permute(b->depthwise_weight, 0, order);
      permute(b->project_weight, 1, order);
      for (ElasticBnImpl* bn : {b->expand_bn.get(), b->depthwise_bn.get()}) {
        permute(bn->weight, 0, order);
        permute(bn->bias, 0, order);
        permute(bn->running_mean, 0, order);
        permute(bn->running_var, 0, order);
      }
    }
  }
  return permuted;
}

ArchNet SupernetImpl::Extract(const ArchGenome& g) {
  ArchNet net(GenomeToArch(g, space));
  CopyFixed(net->first_conv, first_conv);
  CopyFixed(net->blocks[0]->depthwise, first_depthwise);
  CopyFixed(net->blocks[0]->project, first_project);
  size_t next = 1;
  for (int st = 0; st < kStages; ++st) {
    for (int b = 0; b < g.depth[st]; ++b, ++next) {
      ElasticBlock& from = stages[st][b];
      MBBlock& to = net->blocks[next];
      const int mid = MakeDivisible(from->in_channels * g.expand[st][b]);
      torch::NoGradGuard guard;
      CopyInto(to->expand->conv->weight, from->expand_weight.index({Slice(0, mid)}));
      CopyBn(to->expand->bn, from->expand_bn, mid);
      CopyInto(to->depthwise->conv->weight, from->DepthwiseKernel(g.kernel[st][b], mid));
      CopyBn(to->depthwise->bn, from->depthwise_bn, mid);
      CopyInto(to->project->conv->weight, from->project_weight.index({Slice(), Slice(0, mid)}));
      CopyBn(to->project->bn, from->project_bn, from->out_channels);
    }
  }
  MBBlock& last = net->blocks[next];
  CopyFixed(last->expand, last_expand);
  CopyFixed(last->depthwise, last_depthwise);
  CopyFixed(last->project, last_project);
  CopyInto(net->classifier->weight, classifier->weight);
  CopyInto(net->classifier->bias, classifier->bias);
  return net;
}

}  // namespace mcunet
