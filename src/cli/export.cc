// mcunet export RUN_DIR [-o model.tflite] [--calibration-images N] (nas/export.h).
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/progress_bar.h"
#include "nas/export.h"

namespace mcunet::cli {

Command AddExportCommand(CLI::App& app) {
  struct Args {
    std::string run_dir, output;
    int64_t calibration_images = 512, test_images = 0;
    int threads = 2;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  app.add_option("run_dir", a->run_dir,
                 "Folder of a finished `mcunet search` (best_arch.json, best_weights.pt) or "
                 "`mcunet train --arch` (trained_arch.json, trained_weights.pt)")
      ->required();
  app.add_option("-o,--output", a->output, "The .tflite to write (default RUN_DIR/model.tflite)");
  app.add_option("--calibration-images", a->calibration_images,
                 "Training images whose activation ranges set the int8 quantisation")
      ->default_str("512");
  app.add_option("--test-images", a->test_images,
                 "Measure accuracies on the first N test images only (default: all)");
  app.add_option("--threads", a->threads, "CPU threads for libtorch")->default_str("2");
  app.add_flag("--json", a->json, "Print the report as JSON on stdout");
  app.footer(
      "Post-training int8 quantisation (BN folded, per-channel weights, activation ranges from\n"
      "training images), then the same graph and Compile as any model. The model's int8 input\n"
      "is the image resized to its resolution (bilinear) minus 128: q = pixel - 128.\n"
      "Example: mcunet export f746 -o f746.tflite");
  return [a]() {
    ExportRequest req;
    req.run_dir = a->run_dir;
    req.output = a->output;
    req.calibration_images = a->calibration_images;
    req.test_images = a->test_images;
    req.threads = a->threads;
    auto bar = std::make_shared<ProgressBar>();
    req.progress = [bar](const std::string& phase, int64_t done, int64_t total) {
      bar->Update(phase, done, total, "images");
    };
    auto r = ExportRun(req);
    bar->Finish();
    if (!r.ok()) {
      fmt::print(stderr, "error: {}\n", r.status().message());
      return 1;
    }
    if (a->json) {
      const nlohmann::json j = {{"output", r->output},
                                {"arch", r->arch_name},
                                {"arch_file", r->arch_file},
                                {"weights_file", r->weights_file},
                                {"dataset", r->dataset},
                                {"resolution", r->resolution},
                                {"input_scale", r->input.scale},
                                {"input_zero_point", r->input.zero_point},
                                {"calibration_images", r->calibration_images},
                                {"test_images", r->test_images},
                                {"float_test_accuracy", r->float_test_accuracy},
                                {"int8_test_accuracy", r->int8_test_accuracy},
                                {"peak_sram_bytes", r->peak_sram_bytes},
                                {"flash_bytes", r->flash_bytes},
                                {"search_peak_sram_bytes", r->search_peak_sram_bytes}};
      fmt::print("{}\n", j.dump(2));
      return 0;
    }
    fmt::print("wrote {} ({}, {}x{} input: int8 = pixel - 128, scale {:.6g}, zero point {})\n",
               r->output, r->arch_name, r->resolution, r->resolution, r->input.scale,
               r->input.zero_point);
    fmt::print("float test accuracy: {:.2f}% (torch, {} test images)\n",
               100 * r->float_test_accuracy, r->test_images);
    fmt::print("int8 test accuracy:  {:.2f}% (host runtime, {} calibration images)\n",
               100 * r->int8_test_accuracy, r->calibration_images);
    fmt::print("peak SRAM: {} B ({:.1f} kB; the search's figure {} B), Flash: {} B ({:.1f} kB, "
               "weights and tables, without code)\n",
               r->peak_sram_bytes, r->peak_sram_bytes / 1024.0, r->search_peak_sram_bytes,
               r->flash_bytes, r->flash_bytes / 1024.0);
    return 0;
  };
}

}  // namespace mcunet::cli
