// Quantisation-aware fine-tuning (QAT): the float network trained through the
// int8 arithmetic it will be deployed with, so that post-training rounding
// errors are trained away. The same rules as QuantizeArchNet (quantize.h): BN
// folded (with its running statistics, frozen: the deployed network has no
// batch statistics), weights symmetric per output channel (per tensor for the
// classifier), activations at the calibrated ranges of post-training
// quantisation, residual ADD outputs and logits quantised too. Rounding passes
// gradients straight through (straight-through estimator), so the float
// weights keep learning; export then quantises them as after any training.
#pragma once
#include <torch/torch.h>

#include "arch/quantized_arch.h"
#include "nas/torch/arch_net.h"
#include "nas/torch/trainer.h"

namespace mcunet {

// Rounds `x` to the int8 grid of `q` and back (clamped to [-128, 127]); the
// gradient passes through unchanged.
torch::Tensor FakeQuantize(const torch::Tensor& x, const ActivationQuant& q);

// ArchNetImpl::forward with every tensor the int8 graph holds fake-quantised
// at the ranges of `ranges` (QuantizeArchNet's output for this network).
torch::Tensor QatForward(ArchNetImpl& net, const QuantizedArch& ranges, torch::Tensor x);

// Fine-tunes `net` with QatForward on `rows` of `data` (Train: resumable from
// options.checkpoint).
Expected<TrainResult> QuantizationAwareFineTune(ArchNetImpl& net, const QuantizedArch& ranges,
                                                const ImageTensors& data,
                                                const std::vector<int64_t>& rows,
                                                const TrainOptions& options);

}  // namespace mcunet
