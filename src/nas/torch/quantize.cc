#include "nas/torch/quantize.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "nas/torch/trainer.h"

namespace mcunet {
namespace {

// Round half away from zero, as TFLite's converter and kernels do (torch::round
// rounds half to even).
torch::Tensor RoundAway(const torch::Tensor& x) {
  return torch::sign(x) * torch::floor(torch::abs(x) + 0.5);
}

std::vector<int8_t> ToInt8(const torch::Tensor& q) {
  const torch::Tensor t = q.to(torch::kInt8).contiguous();
  return std::vector<int8_t>(t.data_ptr<int8_t>(), t.data_ptr<int8_t>() + t.numel());
}

// Biases beyond int32 (a channel whose weights are all ~0) saturate.
std::vector<int32_t> QuantizeBias(const torch::Tensor& bias, const torch::Tensor& scales) {
  const torch::Tensor q = RoundAway(bias.to(torch::kDouble) / scales.to(torch::kDouble))
                              .clamp(std::numeric_limits<int32_t>::min(),
                                     std::numeric_limits<int32_t>::max())
                              .to(torch::kInt32)
                              .contiguous();
  return std::vector<int32_t>(q.data_ptr<int32_t>(), q.data_ptr<int32_t>() + q.numel());
}

// Min/max of each observed tensor over all calibration batches.
struct RangeObserver {
  std::vector<std::pair<float, float>> ranges;
  size_t next = 0;
  torch::Tensor See(torch::Tensor x) {
    const float lo = x.min().item<float>(), hi = x.max().item<float>();
    if (next == ranges.size()) ranges.emplace_back(lo, hi);
    auto& r = ranges[next++];
    r.first = std::min(r.first, lo);
    r.second = std::max(r.second, hi);
    return x;
  }
  ActivationQuant Quant(size_t i) const { return RangeToQuant(ranges[i].first, ranges[i].second); }
};

// The network's forward pass (ArchNetImpl::forward) with every tensor the int8
// graph quantises observed: each conv output (after its activation), each ADD
// output, the logits; conv outputs go to `convs`, the others to `others`.
void ObservedForward(ArchNetImpl& net, torch::Tensor x, RangeObserver& convs,
                     RangeObserver& others) {
  convs.next = others.next = 0;
  x = convs.See(net.first_conv(x));
  for (MBBlock& b : net.blocks) {
    torch::Tensor y = x;
    if (b->expand) y = convs.See(b->expand(y));
    y = convs.See(b->depthwise(y));
    y = convs.See(b->project(y));
    x = b->residual ? others.See(y + x) : y;
  }
  if (net.feature_mix) x = convs.See(net.feature_mix(x));
  others.See(net.classifier(x.mean({2, 3})));
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> FoldBatchNorm(ConvBnImpl& layer) {
  torch::NoGradGuard guard;
  const auto& bn = layer.bn;
  const torch::Tensor inv_std = torch::rsqrt(bn->running_var + bn->options.eps());
  const torch::Tensor gamma = bn->weight * inv_std;  // per output channel
  torch::Tensor weight = layer.conv->weight * gamma.view({-1, 1, 1, 1});
  torch::Tensor bias = bn->bias - bn->running_mean * gamma;
  if (layer.conv->bias.defined()) bias = bias + layer.conv->bias * gamma;
  return {weight.detach().clone(), bias.detach().clone()};
}

ActivationQuant RangeToQuant(float min, float max) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  if (max - min < 1e-8f) max = min + 1e-8f;  // a constant-zero tensor still needs a scale
  ActivationQuant q;
  q.scale = (max - min) / 255.0f;
  const double zp = std::round(-128.0 - min / q.scale);
  q.zero_point = static_cast<int32_t>(std::clamp(zp, -128.0, 127.0));
  return q;
}

QuantizedConv QuantizeConv(const torch::Tensor& weight, const torch::Tensor& bias, bool depthwise,
                           float input_scale, ActivationQuant output) {
  torch::NoGradGuard guard;
  const torch::Tensor w = weight.to(torch::kFloat);
  const int64_t out = w.size(0);
  torch::Tensor scales = w.abs().reshape({out, -1}).amax(1) / 127.0f;
  // An all-zero channel quantises to zeros under any scale; 1 keeps its bias finite.
  scales = torch::where(scales > 0, scales, torch::ones_like(scales));
  const torch::Tensor q = RoundAway(w / scales.view({-1, 1, 1, 1})).clamp(-127, 127);
  QuantizedConv c;
  // PyTorch [out, in/groups, kh, kw] -> CONV_2D [out, kh, kw, in]; a depthwise
  // [c, 1, kh, kw] -> [1, kh, kw, c].
  c.weights = ToInt8(depthwise ? q.permute({1, 2, 3, 0}) : q.permute({0, 2, 3, 1}));
  const torch::Tensor s = scales.contiguous();
  c.weight_scales.assign(s.data_ptr<float>(), s.data_ptr<float>() + out);
  c.bias = QuantizeBias(bias, scales * input_scale);
  c.output = output;
  return c;
}

ActivationQuant InputQuant(const std::vector<float>& mean, const std::vector<float>& std) {
  if (mean.size() == 1) {
    return {1.0f / (255.0f * std[0]), static_cast<int32_t>(std::lround(255.0f * mean[0])) - 128};
  }
  return {1.0f / 255.0f, -128};
}

void FoldInputNormalisation(torch::Tensor& weight, torch::Tensor& bias,
                            const std::vector<float>& mean, const std::vector<float>& std) {
  torch::NoGradGuard guard;
  const int64_t c = weight.size(1);
  const torch::Tensor m = torch::tensor(mean).view({1, c, 1, 1});
  const torch::Tensor s = torch::tensor(std).view({1, c, 1, 1});
  weight = weight / s;
  bias = bias - (weight * m).sum({1, 2, 3});
}

Expected<QuantizedArch> QuantizeArchNet(ArchNetImpl& net, const torch::Tensor& calibration,
                                        const std::vector<float>& mean,
                                        const std::vector<float>& std, int batch_size) {
  if (calibration.size(0) < 1) return Status::Error("quantisation needs calibration images");
  if (static_cast<int64_t>(mean.size()) != calibration.size(1) || mean.size() != std.size()) {
    return Status::Error(fmt::format("normalisation has {} channels, the images {}", mean.size(),
                                     calibration.size(1)));
  }
  QuantizedArch qa;
  MCUNET_RETURN_IF_ERROR(CatchTorch("quantisation", [&] {
    torch::NoGradGuard guard;
    net.eval();
    RangeObserver convs, others;
    for (int64_t begin = 0; begin < calibration.size(0); begin += batch_size) {
      const int64_t end = std::min<int64_t>(calibration.size(0), begin + batch_size);
      ObservedForward(net, calibration.slice(0, begin, end), convs, others);
    }
    qa.input = InputQuant(mean, std);
    size_t conv_index = 0, other_index = 0;
    float scale = qa.input.scale;  // of the tensor the next layer reads
    const auto conv = [&](ConvBnImpl& layer, bool depthwise, bool first) {
      auto [w, b] = FoldBatchNorm(layer);
      if (first && mean.size() > 1) FoldInputNormalisation(w, b, mean, std);
      qa.convs.push_back(QuantizeConv(w, b, depthwise, scale, convs.Quant(conv_index++)));
      scale = qa.convs.back().output.scale;
    };
    conv(*net.first_conv, false, true);
    for (MBBlock& b : net.blocks) {
      if (b->expand) conv(*b->expand, false, false);
      conv(*b->depthwise, true, false);
      conv(*b->project, false, false);
      if (b->residual) {
        qa.adds.push_back(others.Quant(other_index++));
        scale = qa.adds.back().scale;
      }
    }
    if (net.feature_mix) conv(*net.feature_mix, false, false);
    // The pooled features keep the last layer's quantisation (AVERAGE_POOL_2D).
    const torch::Tensor w = net.classifier->weight.detach().to(torch::kFloat);
    QuantizedFullyConnected& fc = qa.classifier;
    fc.weight_scale = w.abs().max().item<float>() / 127.0f;
    if (!(fc.weight_scale > 0)) fc.weight_scale = 1.0f;  // all zero: as QuantizeConv
    fc.weights = ToInt8(RoundAway(w / fc.weight_scale).clamp(-127, 127));
    const torch::Tensor bias = net.classifier->bias.defined()
                                   ? net.classifier->bias.detach()
                                   : torch::zeros({w.size(0)});
    fc.bias = QuantizeBias(bias, torch::full({w.size(0)}, double(fc.weight_scale) * scale));
    fc.output = others.Quant(other_index++);
    return OkStatus();
  }));
  return qa;
}

}  // namespace mcunet
