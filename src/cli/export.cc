// mcunet export RUN_DIR [-o model.tflite] [--calibration-images N] [--device D] (nas/export.h).
#include "nas/export.h"

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/nas_commands.h"
#include "codegen/target_run.h"
#include "core/progress_bar.h"

namespace mcunet::cli {

Command AddExportCommand(CLI::App& app) {
  struct Args {
    std::string run_dir, output, network = "searched", device, devices_file, firmware_dir;
    int64_t calibration_images = 512, test_images = 0, firmware_images = 5, qat_steps = 300;
    double qat_threshold = 0.5;  // points
    int threads = 2;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  app.add_option("run_dir", a->run_dir,
                 "Folder of a finished `mcunet search` (best_arch.json, best_weights.pt) or "
                 "`mcunet train --arch` (trained_arch.json, trained_weights.pt)")
      ->required();
  app.add_option("-o,--output", a->output,
                 "The .tflite to write (default RUN_DIR/model.tflite, or RUN_DIR/NETWORK.tflite)");
  app.add_option("--network", a->network,
                 "searched (the search's or train --arch's network), or a search's baseline: "
                 "mobilenetv2, random_search")
      ->default_str("searched")
      ->check(CLI::IsMember({"searched", "mobilenetv2", "random_search"}));
  app.add_option("--device", a->device,
                 "Also write the firmware for this device's core (`mcunet devices`) and run it "
                 "under QEMU on test images");
  app.add_option("--devices", a->devices_file, "Device profiles file (default: the built-in ones)");
  app.add_option("--firmware", a->firmware_dir,
                 "Folder of the firmware project (default RUN_DIR/firmware[_NETWORK])");
  app.add_option("--firmware-images", a->firmware_images,
                 "Test images run on the emulated core and compared with the host runtime")
      ->default_str("5");
  app.add_option("--calibration-images", a->calibration_images,
                 "Training images whose activation ranges set the int8 quantisation")
      ->default_str("512");
  app.add_option("--qat-steps", a->qat_steps,
                 "Quantisation-aware fine-tuning steps, run when post-training quantisation "
                 "loses more than --qat-threshold on held-out images (0: never)")
      ->default_str("300");
  app.add_option("--qat-threshold", a->qat_threshold,
                 "Held-out accuracy points post-training quantisation may lose before QAT runs "
                 "(0: always run it); the better of the two on held-out images is kept")
      ->default_str("0.5");
  app.add_option("--test-images", a->test_images,
                 "Measure accuracies on the first N test images only (default: all)");
  app.add_option("--threads", a->threads, "CPU threads for libtorch")->default_str("2");
  app.add_flag("--json", a->json, "Print the report as JSON on stdout");
  app.footer(
      "Post-training int8 quantisation (BN folded, per-channel weights, activation ranges from\n"
      "training images); if it loses more than --qat-threshold points on the run's held-out\n"
      "images, quantisation-aware fine-tuning, kept when better there. Then the same graph and\n"
      "Compile as any model. The model's int8 input is the image resized to its resolution\n"
      "(bilinear) minus 128: q = pixel - 128.\n"
      "With --device, the C project for the device's core is written, built with\n"
      "arm-none-eabi-gcc and run under QEMU on test images: byte-identical outputs to the\n"
      "host runtime (exit 1 otherwise), instructions per inference, Flash and SRAM.\n"
      "Example: mcunet export f746 --device stm32f746");
  return [a]() {
    ExportRequest req;
    req.run_dir = a->run_dir;
    req.output = a->output;
    req.calibration_images = a->calibration_images;
    req.test_images = a->test_images;
    req.threads = a->threads;
    req.network = a->network;
    req.qat_steps = a->qat_steps;
    req.qat_threshold = a->qat_threshold / 100;
    if (!a->device.empty()) {
      auto device = FindDevice(a->device, a->devices_file);
      if (!device.ok()) {
        fmt::print(stderr, "error: {}\n", device.status().message());
        return 1;
      }
      req.device = *device;
      req.firmware_dir = a->firmware_dir;
      req.firmware_images = a->firmware_images;
      req.plugin = DefaultPluginPath();
    }
    auto bar = std::make_shared<ProgressBar>();
    bar->SetLogFile((std::filesystem::path(a->run_dir) / "mcunet.log").string());
    bar->Record(fmt::format("mcunet export {} ({} network)", a->run_dir, a->network));
    req.progress = [bar](const std::string& phase, int64_t done, int64_t total) {
      bar->Update(phase, done, total, "images");
    };
    auto r = ExportRun(req);
    bar->Finish();
    if (!r.ok()) {
      fmt::print(stderr, "error: {}\n", r.status().message());
      return 1;
    }
    const bool firmware_ok = !r->firmware || r->firmware->bit_exact;
    if (a->json) {
      fmt::print("{}\n", ExportReportJson(*r).dump(2));
      return firmware_ok ? 0 : 1;
    }
    fmt::print("wrote {} ({}, {}x{} input: int8 = pixel - 128, scale {:.6g}, zero point {})\n",
               r->output, r->arch_name, r->resolution, r->resolution, r->input.scale,
               r->input.zero_point);
    fmt::print("float test accuracy: {:.2f}% (torch, {} test images)\n",
               100 * r->float_test_accuracy, r->test_images);
    fmt::print("int8 test accuracy:  {:.2f}% (host runtime, {} calibration images)\n",
               100 * r->int8_test_accuracy, r->calibration_images);
    fmt::print(
        "held-out: float {:.2f}%, int8 post-training {:.2f}%{}; kept {}\n",
        100 * r->float_val_accuracy, 100 * r->ptq_val_accuracy,
        r->qat_val_accuracy >= 0 ? fmt::format(", int8 after {} QAT steps {:.2f}%", r->qat_steps,
                                               100 * r->qat_val_accuracy)
                                 : std::string(),
        r->quantisation == "qat" ? "quantisation-aware training" : "post-training quantisation");
    fmt::print(
        "peak SRAM: {} B ({:.1f} kB; the search's figure {} B), Flash: {} B ({:.1f} kB, "
        "weights and tables, without code)\n",
        r->peak_sram_bytes, r->peak_sram_bytes / 1024.0, r->search_peak_sram_bytes, r->flash_bytes,
        r->flash_bytes / 1024.0);
    if (const auto& f = r->firmware) {
      std::string classes;
      for (size_t i = 0; i < f->predicted.size(); ++i) {
        classes += fmt::format("{}{}/{}", i ? " " : "", f->predicted[i], f->labels[i]);
      }
      fmt::print("firmware: {} on {} ({} test images): {}; predicted/label {}\n", f->dir, f->core,
                 f->images,
                 f->bit_exact ? "bit-exact with the host runtime" : "DIFFERS from the host runtime",
                 classes);
      fmt::print(
          "  {} instructions per inference ({:.1f} ms at {} MHz, 1 instruction per "
          "cycle), Flash {} B (search's estimate {} B), SRAM {} B (arena {} B)\n",
          f->instructions, f->latency_ms, req.device->mhz, f->flash_bytes, r->search_flash_bytes,
          f->sram_bytes, f->arena_bytes);
    }
    return firmware_ok ? 0 : 1;
  };
}

}  // namespace mcunet::cli
