// SplitTrainingRows (nas/stage2.h): one split for the search, its final
// training and export, so that calibration never sees held-out images.
#include <algorithm>

#include "data/idx_dataset.h"
#include "nas/stage2.h"

namespace mcunet {

RunRows SplitTrainingRows(int64_t count, int64_t train_images, int64_t validation_images) {
  const int64_t holdout = std::min<int64_t>(10000, count / 6);
  Split split = SplitIndices(count, holdout, kSplitSeed);
  // The split is sorted: prefixes are fixed subsets.
  if (static_cast<int64_t>(split.train.size()) > train_images) split.train.resize(train_images);
  if (static_cast<int64_t>(split.holdout.size()) > validation_images) {
    split.holdout.resize(std::max<int64_t>(0, validation_images));
  }
  return {std::move(split.train), std::move(split.holdout)};
}

}  // namespace mcunet
