// ExportReportJson (nas/export.h): one JSON shape for `export --json`, the
// run folder's export records and summary.json.
#include "nas/export.h"

namespace mcunet {

nlohmann::json ExportReportJson(const ExportReport& r) {
  nlohmann::json j = {{"network", r.network},
                      {"output", r.output},
                      {"arch", r.arch_name},
                      {"arch_file", r.arch_file},
                      {"weights_file", r.weights_file},
                      {"dataset", r.dataset},
                      {"resolution", r.resolution},
                      {"input_scale", r.input.scale},
                      {"input_zero_point", r.input.zero_point},
                      {"calibration_images", r.calibration_images},
                      {"test_images", r.test_images},
                      {"float_test_accuracy", r.float_test_accuracy},
                      {"int8_test_accuracy", r.int8_test_accuracy},
                      {"quantisation", r.quantisation},
                      {"float_val_accuracy", r.float_val_accuracy},
                      {"ptq_val_accuracy", r.ptq_val_accuracy},
                      {"peak_sram_bytes", r.peak_sram_bytes},
                      {"search_peak_sram_bytes", r.search_peak_sram_bytes},
                      {"data_flash_bytes", r.flash_bytes},
                      {"search_flash_estimate_bytes", r.search_flash_bytes},
                      {"seconds", r.seconds}};
  if (r.qat_val_accuracy >= 0) {
    j["qat_val_accuracy"] = r.qat_val_accuracy;
    j["qat_steps"] = r.qat_steps;
  }
  if (!r.device.empty()) j["device"] = r.device;
  if (r.firmware) {
    const FirmwareReport& f = *r.firmware;
    j["firmware"] = {{"dir", f.dir},
                     {"core", f.core},
                     {"bit_exact", f.bit_exact},
                     {"images", f.images},
                     {"labels", f.labels},
                     {"predicted", f.predicted},
                     {"instructions", f.instructions},
                     {"latency_ms_at_1_ipc", f.latency_ms},
                     {"flash_bytes", f.flash_bytes},
                     {"code_bytes", f.code_bytes},
                     {"sram_bytes", f.sram_bytes},
                     {"stack_bytes", f.stack_bytes},
                     {"runner_io_bytes", f.runner_bytes},
                     {"arena_bytes", f.arena_bytes}};
  }
  return j;
}

}  // namespace mcunet
