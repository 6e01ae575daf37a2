// `mcunet export`: a trained run folder (a search's best_arch.json +
// best_weights.pt, or `train --arch`'s trained_arch.json + trained_weights.pt)
// to an int8 .tflite through post-training quantisation (nas/torch/quantize.h),
// the arch builder with the trained tensors and the same Compile as any model;
// float and int8 test accuracy measured on the way. Free of torch types: the
// CLI builds without libtorch (stage2_without_torch.cc then explains).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "arch/quantized_arch.h"
#include "core/status.h"

namespace mcunet {

struct ExportRequest {
  std::string run_dir;
  std::string output;  // empty: RUN_DIR/model.tflite
  int64_t calibration_images = 512;  // training images (never held-out or test ones)
  int64_t test_images = 0;  // 0: the whole test set; else its first N (tests)
  int threads = 2;
  std::function<void(const std::string& phase, int64_t done, int64_t total)> progress;
};

struct ExportReport {
  std::string arch_file, weights_file, output, dataset, arch_name;
  int resolution = 0;
  ActivationQuant input;  // int8 input = pixel - 128; real = (q - zero_point) * scale
  int64_t calibration_images = 0, test_images = 0;
  double float_test_accuracy = 0, int8_test_accuracy = 0;
  // ModelTotals of the compiled int8 graph (compiler/compile.h), and the
  // search's figure for the arch (MeasureArch): equal, or the co-design lies.
  int64_t peak_sram_bytes = 0, flash_bytes = 0, search_peak_sram_bytes = 0;
};

// Nothing is written unless everything succeeded; the .tflite is written atomically.
Expected<ExportReport> ExportRun(const ExportRequest& request);

}  // namespace mcunet
