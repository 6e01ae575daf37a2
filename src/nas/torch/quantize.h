// Post-training int8 quantisation of a trained ArchNet, as TFLite's converter
// does it, into the plain structs the arch builder lays out (arch/quantized_arch.h):
// BN folded into the convolutions; weights symmetric per output channel (per
// tensor for the classifier, TFLite's default for FULLY_CONNECTED); int32 biases
// at input scale x weight scale; activations asymmetric, their ranges the
// min/max observed on calibration images after the fused activation (so a
// ReLU6 output lies in [0, 6]) widened to hold 0; each residual ADD output has
// its own range; the pooled features keep the quantisation of their input.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "arch/quantized_arch.h"
#include "core/status.h"
#include "nas/torch/arch_net.h"

namespace mcunet {

// The convolution of `layer` with its BN (eval statistics) folded in: weight
// [out, in/groups, kh, kw] and bias [out], float.
std::pair<torch::Tensor, torch::Tensor> FoldBatchNorm(ConvBnImpl& layer);

// TFLite's int8 quantisation of the real range [min, max] (widened to hold 0).
ActivationQuant RangeToQuant(float min, float max);

// Symmetric int8 per output channel of a folded PyTorch conv weight
// [out, in/groups, kh, kw], written in TFLite's layout (CONV_2D [out, kh, kw, in];
// `depthwise`: [1, kh, kw, channels]); bias [out] at input_scale x scale[c].
QuantizedConv QuantizeConv(const torch::Tensor& weight, const torch::Tensor& bias, bool depthwise,
                           float input_scale, ActivationQuant output);

// The input quantisation of the exported model. Its int8 input is the image
// byte minus 128 (q = pixel - 128; the convention `mcunet evaluate` and the
// firmware share), and (q - zero_point) * scale must be the training
// normalisation (pixel / 255 - mean) / std. One channel: scale 1 / (255 std),
// zero point round(255 mean) - 128 (the rounding of the mean moves inputs by
// under half a quantisation step). Several channels with their own mean and
// std cannot share one scale: the input is then pixel / 255 (scale 1/255,
// zero point -128) and FoldInputNormalisation moves the per-channel
// normalisation into the first convolution.
ActivationQuant InputQuant(const std::vector<float>& mean, const std::vector<float>& std);
// W'[o, c] = W[o, c] / std[c], b' = b - sum_{c, kh, kw} W[o, c] mean[c] / std[c]:
// the first convolution applied to pixel / 255 equals it applied to the
// normalised input, except at the zero-padded border.
void FoldInputNormalisation(torch::Tensor& weight, torch::Tensor& bias,
                            const std::vector<float>& mean, const std::vector<float>& std);

// Quantises `net` (put in eval mode). `calibration` are normalised float inputs
// [N, C, R, R] of TRAINING images, as the trainer makes them (no augmentation).
Expected<QuantizedArch> QuantizeArchNet(ArchNetImpl& net, const torch::Tensor& calibration,
                                        const std::vector<float>& mean,
                                        const std::vector<float>& std, int batch_size = 128);

}  // namespace mcunet
