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

#include <optional>

#include <nlohmann/json.hpp>

#include "arch/quantized_arch.h"
#include "core/devices.h"
#include "core/status.h"
#include "nas/firmware.h"

namespace mcunet {

// The networks of a search folder `export` can take.
inline constexpr const char* kExportNetworks[] = {"searched", "mobilenetv2", "random_search"};

struct ExportRequest {
  std::string run_dir;
  // "searched" (best_* of a search, or trained_* of `train --arch`), or a
  // search's baseline: "mobilenetv2", "random_search".
  std::string network = "searched";
  std::string output;  // empty: RUN_DIR/model.tflite (searched) or RUN_DIR/NETWORK.tflite
  int64_t calibration_images = 512;  // training images (never held-out or test ones)
  int64_t test_images = 0;  // 0: the whole test set; else its first N (tests)
  // Quantisation-aware fine-tuning (nas/torch/qat.h) for `qat_steps` steps
  // when post-training quantisation loses more than `qat_threshold` (a
  // fraction: 0.005 = 0.5 points) of held-out accuracy; the better of the two
  // on held-out images is kept. 0 steps: post-training quantisation only.
  int64_t qat_steps = 300;
  double qat_threshold = 0.005;
  int threads = 2;
  // With a device: also the firmware for its core in `firmware_dir` (empty:
  // RUN_DIR/firmware, or RUN_DIR/firmware_NETWORK), checked under QEMU.
  std::optional<DeviceProfile> device;
  std::string firmware_dir;
  int64_t firmware_images = 5;
  std::string plugin;  // QEMU instruction counter; "" = no count
  std::function<void(const std::string& phase, int64_t done, int64_t total)> progress;
};

struct ExportReport {
  std::string arch_file, weights_file, output, dataset, arch_name;
  int resolution = 0;
  ActivationQuant input;  // int8 input = pixel - 128; real = (q - zero_point) * scale
  int64_t calibration_images = 0, test_images = 0;
  double float_test_accuracy = 0, int8_test_accuracy = 0;
  // Held-out images of the run (never trained on, never the test set).
  double float_val_accuracy = 0, ptq_val_accuracy = 0, qat_val_accuracy = -1;  // -1: no QAT
  int64_t qat_steps = 0;
  std::string quantisation;  // "ptq" or "qat": the one kept
  double seconds = 0;  // the whole export, firmware included
  // ModelTotals of the compiled int8 graph (compiler/compile.h), and the
  // search's figure for the arch (MeasureArch): equal, or the co-design lies.
  int64_t peak_sram_bytes = 0, flash_bytes = 0, search_peak_sram_bytes = 0;
  // The search's Flash estimate (data + a code estimate): never below the
  // built firmware's Flash, or a network it kept may not fit.
  int64_t search_flash_bytes = 0;
  std::string network, device;
  std::optional<FirmwareReport> firmware;
};

// The report as `export --json` prints it and export.json / summary.json keep it.
nlohmann::json ExportReportJson(const ExportReport& report);

// Nothing is written unless everything succeeded; the .tflite is written atomically.
Expected<ExportReport> ExportRun(const ExportRequest& request);

}  // namespace mcunet
