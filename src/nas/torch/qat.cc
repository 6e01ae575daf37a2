#include "nas/torch/qat.h"

namespace mcunet {
namespace {

// Weights fake-quantised symmetric per output channel (dim 0), as QuantizeConv;
// `per_tensor`: one scale, as the classifier's.
torch::Tensor FakeQuantizeWeights(const torch::Tensor& w, bool per_tensor) {
  torch::Tensor scale = per_tensor ? w.abs().max().view({1})
                                   : w.abs().reshape({w.size(0), -1}).amax(1);
  scale = torch::where(scale > 0, scale / 127.0, torch::ones_like(scale)).detach();
  std::vector<int64_t> shape(static_cast<size_t>(w.dim()), 1);
  shape[0] = per_tensor ? 1 : w.size(0);
  scale = scale.view(shape);
  const torch::Tensor q = torch::clamp(torch::round(w / scale), -127, 127) * scale;
  return w + (q - w).detach();
}

// One ConvBn as the int8 graph runs it: BN folded with its running statistics,
// weights fake-quantised, the activation, the output fake-quantised.
torch::Tensor QatConvBn(ConvBnImpl& layer, const torch::Tensor& x, const ActivationQuant& out) {
  auto& bn = layer.bn;
  const torch::Tensor gamma = bn->weight * torch::rsqrt(bn->running_var + bn->options.eps());
  const torch::Tensor w = layer.conv->weight * gamma.view({-1, 1, 1, 1});
  const torch::Tensor b = bn->bias - bn->running_mean * gamma;
  const auto& o = layer.conv->options;
  const int64_t pad = layer.conv->weight.size(2) / 2;  // ConvBnImpl's padding
  const torch::Tensor y = torch::conv2d(x, FakeQuantizeWeights(w, false), b, o.stride(), pad,
                                        o.dilation(), o.groups());
  return FakeQuantize(Activate(y, layer.activation), out);
}

}  // namespace

torch::Tensor FakeQuantize(const torch::Tensor& x, const ActivationQuant& q) {
  const torch::Tensor levels = torch::clamp(torch::round(x / q.scale) + q.zero_point, -128, 127);
  return x + ((levels - q.zero_point) * q.scale - x).detach();
}

torch::Tensor QatForward(ArchNetImpl& net, const QuantizedArch& ranges, torch::Tensor x) {
  size_t conv = 0, add = 0;
  x = QatConvBn(*net.first_conv, x, ranges.convs.at(conv++).output).contiguous(kFastCpuFormat);
  for (MBBlock& b : net.blocks) {
    torch::Tensor y = x;
    if (b->expand) y = QatConvBn(*b->expand, y, ranges.convs.at(conv++).output);
    y = QatConvBn(*b->depthwise, y, ranges.convs.at(conv++).output);
    y = QatConvBn(*b->project, y, ranges.convs.at(conv++).output);
    x = b->residual ? FakeQuantize(y + x, ranges.adds.at(add++)) : y;
  }
  ActivationQuant last = add > 0 && !net.blocks.empty() && net.blocks.back()->residual
                             ? ranges.adds.at(add - 1)
                             : ranges.convs.at(conv - 1).output;
  if (net.feature_mix) {
    last = ranges.convs.at(conv++).output;
    x = QatConvBn(*net.feature_mix, x, last);
  }
  // The pooled features keep their input's quantisation (AVERAGE_POOL_2D).
  const torch::Tensor pooled = FakeQuantize(x.mean({2, 3}), last);
  const torch::Tensor logits = torch::linear(
      pooled, FakeQuantizeWeights(net.classifier->weight, true), net.classifier->bias);
  return FakeQuantize(logits, ranges.classifier.output);
}

Expected<TrainResult> QuantizationAwareFineTune(ArchNetImpl& net, const QuantizedArch& ranges,
                                                const ImageTensors& data,
                                                const std::vector<int64_t>& rows,
                                                const TrainOptions& options) {
  const size_t expected = 1 + net.blocks.size() * 3 + (net.feature_mix ? 1 : 0);
  size_t expands_missing = 0;
  for (MBBlock& b : net.blocks) expands_missing += b->expand ? 0 : 1;
  if (ranges.convs.size() != expected - expands_missing) {
    return Status::Error("QAT: the quantisation ranges are of another network");
  }
  return Train(net, data, rows, options,
               [&](const torch::Tensor& inputs, const torch::Tensor& labels, int64_t) {
                 const torch::Tensor loss = SmoothedCrossEntropy(
                     QatForward(net, ranges, inputs), labels, options.label_smoothing);
                 loss.backward();
                 return loss.item<double>();
               });
}

}  // namespace mcunet
