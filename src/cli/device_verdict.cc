#include "cli/device_verdict.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "compiler/cost_model.h"

namespace mcunet::cli {
namespace {

std::string Kb(int64_t bytes) { return fmt::format("{:.1f} kB", bytes / 1024.0); }

std::string FitText(int64_t used, int64_t available) {
  const double share = available > 0 ? 100.0 * used / available : 0.0;
  return used <= available
             ? fmt::format("fits, {:.1f} % used, {} free", share, Kb(available - used))
             : fmt::format("DOES NOT FIT: {} over ({:.1f} %)", Kb(used - available), share);
}

std::string Io(const Tensor& t) {
  std::string s = fmt::format("{} {}", DataTypeName(t.type), t.ShapeString());
  if (!t.quant.empty()) {
    s += fmt::format(" (scale {:.6g}, zero point {})", t.quant.scale(), t.quant.zero_point());
  }
  return s;
}

nlohmann::json IoJson(const Tensor& t) {
  nlohmann::json j = {{"type", DataTypeName(t.type)}, {"shape", t.shape}};
  if (!t.quant.empty()) j["scale"] = t.quant.scale(), j["zero_point"] = t.quant.zero_point();
  return j;
}

double Milliseconds(const DeviceProfile& d, int64_t instructions) {
  return d.mhz > 0 ? instructions / (d.mhz * 1000.0) : 0.0;
}

}  // namespace

bool Fits(const DeviceProfile& device, const DeviceVerdictInput& in) {
  return in.sram_bytes <= device.sram_bytes && in.flash_bytes <= device.flash_bytes;
}

void PrintDeviceVerdict(const DeviceProfile& d, const CompiledModel& model,
                        const DeviceVerdictInput& in) {
  const Graph& g = model.graph;
  fmt::print("\ndevice {} ({}, {} MHz, {} SRAM, {} Flash): {}\n", d.name, d.core, d.mhz,
             Kb(d.sram_bytes), Kb(d.flash_bytes), Fits(d, in) ? "fits" : "DOES NOT FIT");
  fmt::print("  SRAM   {:>10} B  {}  [{}]\n", in.sram_bytes, FitText(in.sram_bytes, d.sram_bytes),
             in.sram_what);
  fmt::print("  Flash  {:>10} B  {}  [{}]\n", in.flash_bytes,
             FitText(in.flash_bytes, d.flash_bytes), in.flash_what);
  fmt::print("  MACs   {:>10}\n", model.totals.macs);
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    fmt::print("  input  {}: {}\n", i, Io(g.tensors[g.inputs[i]]));
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    fmt::print("  output {}: {}\n", i, Io(g.tensors[g.outputs[i]]));
  }
  if (in.instructions) {
    fmt::print("  latency {:.1f} ms at {} MHz ({} instructions {} on {}, at 1 per cycle)\n",
               Milliseconds(d, *in.instructions), d.mhz, *in.instructions, in.instructions_what,
               d.core);
  } else {
    fmt::print("  latency: `mcunet validate MODEL --device {}` counts instructions on its core\n",
               d.name);
  }
}

nlohmann::json DeviceVerdictJson(const DeviceProfile& d, const CompiledModel& model,
                                 const DeviceVerdictInput& in) {
  const Graph& g = model.graph;
  nlohmann::json inputs = nlohmann::json::array(), outputs = nlohmann::json::array();
  for (int t : g.inputs) inputs.push_back(IoJson(g.tensors[t]));
  for (int t : g.outputs) outputs.push_back(IoJson(g.tensors[t]));
  nlohmann::json j = {{"name", d.name},
                      {"core", d.core},
                      {"mhz", d.mhz},
                      {"fits", Fits(d, in)},
                      {"sram_bytes", in.sram_bytes},
                      {"sram_counts", in.sram_what},
                      {"device_sram_bytes", d.sram_bytes},
                      {"flash_bytes", in.flash_bytes},
                      {"flash_counts", in.flash_what},
                      {"device_flash_bytes", d.flash_bytes},
                      {"macs", model.totals.macs},
                      {"inputs", inputs},
                      {"outputs", outputs}};
  if (in.instructions) {
    j["instructions"] = *in.instructions;
    j["latency_ms"] = Milliseconds(d, *in.instructions);
    j["instructions_counts"] = in.instructions_what;
  }
  return j;
}

DeviceVerdictInput EstimatedVerdictInput(const ModelStats& stats, const DeviceProfile& device) {
  DeviceVerdictInput verdict{
      stats.peak_sram_bytes, "planned arena: activations and scratch",
      stats.flash_bytes + kCodeBytesEstimate,
      fmt::format("weights and tables + {} kB code estimate", kCodeBytesEstimate / 1024),
      std::nullopt};
  if (!KernelCosts(device.core).empty()) {
    const CostEstimate cost = EstimateInstructions(stats, device.core);
    verdict.instructions = cost.instructions;
    verdict.instructions_what =
        cost.unknown_kernels.empty()
            ? "estimated by the cost model"
            : fmt::format("estimated by the cost model, without {} (no cost known)",
                          fmt::join(cost.unknown_kernels, ", "));
  }
  return verdict;
}

}  // namespace mcunet::cli
