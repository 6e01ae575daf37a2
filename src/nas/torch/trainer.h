// Training and evaluation on image data: batches (resize to the space's
// resolution; random crop with padding and horizontal flip), SGD with Nesterov
// momentum, cosine schedule with linear warm-up, label smoothing, checkpoints
// that resume exactly (batch order, augmentation and subnet draws are functions
// of the seed and the step), accuracy, and BN recalibration of supernet subnets.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>

#include "core/status.h"
#include "data/idx_dataset.h"
#include "nas/torch/supernet.h"

namespace mcunet {

struct ImageTensors {
  torch::Tensor images;  // uint8 [N, C, H, W]
  torch::Tensor labels;  // int64 [N]
  std::vector<float> mean, std;  // per channel, of the training split, on [0, 1] pixels
};
ImageTensors ToTensors(const ImageSet& set);
// Statistics of the given rows, stored in `data` (used by every batch).
void SetNormalisation(ImageTensors& data, const std::vector<int64_t>& rows);

// Float inputs at `resolution`, normalised; augmented when `rng` is given.
torch::Tensor MakeInputs(const ImageTensors& data, const torch::Tensor& rows, int resolution,
                         std::mt19937* rng);

struct TrainOptions {
  int64_t steps = 0;
  int batch_size = 128;
  double lr = 0.1;  // for batch 128, scaled linearly with the batch size
  double momentum = 0.9, weight_decay = 5e-5, label_smoothing = 0.1;
  int64_t warmup_steps = 0;
  uint32_t seed = 1;
  int resolution = 32;
  bool augment = true;  // random crop and horizontal flip
  std::string checkpoint;  // empty: none
  int64_t checkpoint_every = 50;
  std::function<void(int64_t step, int64_t total, double loss)> progress;
};

// One step: forward and backward on the batch (gradients accumulate); returns the loss.
using StepFn =
    std::function<double(const torch::Tensor& inputs, const torch::Tensor& labels, int64_t step)>;
// Called before the optimiser step `step`, e.g. to reorder supernet channels.
using BeforeStepFn = std::function<void(int64_t step, torch::optim::SGD& optimizer)>;

struct TrainResult {
  int64_t resumed_from_step = 0;  // 0: started fresh
  double final_loss = 0;
};

// Trains `model` on `rows` of `data`. Resumes from `options.checkpoint` when it
// exists; writes it atomically every `checkpoint_every` steps and at the end.
Expected<TrainResult> Train(torch::nn::Module& model, const ImageTensors& data,
                            const std::vector<int64_t>& rows, const TrainOptions& options,
                            const StepFn& step, const BeforeStepFn& before_step = {});

// Label-smoothed cross entropy.
torch::Tensor SmoothedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                   double smoothing);

// Top-1 accuracy of `forward` on `rows` (no augmentation).
double Accuracy(const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                const ImageTensors& data, const std::vector<int64_t>& rows, int resolution,
                int batch_size = 500);

// Recomputes the supernet's BN statistics for one subnet from `rows` (inputs
// as in training, without augmentation); leaves the supernet in kRunning mode.
void RecalibrateBn(Supernet& net, const ArchGenome& genome, const ImageTensors& data,
                   const std::vector<int64_t>& rows, int resolution, int batch_size = 250);

// Writes `model` (parameters and buffers) to `path` atomically; reads it back.
Status SaveModule(torch::nn::Module& model, const std::string& path);
Status LoadModule(torch::nn::Module& model, const std::string& path);

// libtorch on `threads` CPU threads, and glibc's allocator told to keep freed
// memory: by default each step's large activation tensors are mmap'ed and
// unmapped again, and training spends most of its time in page faults (the
// same run takes a quarter of the time with it: docs/nas-results.md).
void PrepareTorchCpu(int threads);

// libtorch reports errors as c10::Error: the nas/ boundary turns them into a Status.
template <typename F>
Status CatchTorch(const std::string& what, F&& f) {
  try {
    return f();
  } catch (const c10::Error& e) {
    return Status::Error(what + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::Error(what + ": " + e.what());
  }
}

}  // namespace mcunet
