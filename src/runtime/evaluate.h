// Top-1 accuracy of an image classifier on a labelled image set, through the
// host Executor: the accuracy a user gets on the chip, since the firmware runs
// the same kernels bit-exactly. Images become inputs by the shared convention
// of data/image_preprocess.h.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "data/idx_dataset.h"
#include "data/image_preprocess.h"
#include "runtime/executor.h"

namespace mcunet {

// The model's single input as an image input: shape [1, H, W, C] (or [1, H, W]
// for one channel) of int8, uint8 or float32.
Expected<ImageInput> ImageInputOf(const Graph& graph);

// Index of the largest of the first `count` scores of an int8, uint8 or float32
// output (as the runtime reads it); ties go to the lowest index.
int PredictedClass(std::span<const uint8_t> scores, DataType type, int64_t count);

struct EvaluateOptions {
  int64_t limit = 0;  // the first `limit` images; 0 = all of them
  // Executors run in parallel, each on a contiguous share of the images (the
  // result does not depend on it).
  int threads = 1;
  // Called after each image with the images done so far, the total and the
  // correct ones so far (a progress bar); one call at a time, from any thread.
  std::function<void(int64_t done, int64_t total, int64_t correct)> progress;
};

struct Evaluation {
  int64_t images = 0, correct = 0;
  double top1 = 0;  // correct / images
  ImageInput input;
  double seconds = 0;  // the loop: preprocessing and inference
};

// Checks everything before the first image (one input; int8/uint8/float32;
// channels; the first output has exactly `num_classes` int8, uint8 or float32
// elements), then runs each image; the prediction is the argmax of the first
// output, ties going to the lowest index.
Expected<Evaluation> EvaluateClassifier(Executor& executor, const ImageSet& images, int num_classes,
                                        const EvaluateOptions& options = {});

}  // namespace mcunet
