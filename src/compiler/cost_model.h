// Instructions per inference on a Cortex-M core, predicted from each layer's
// kernel and shape without building or running anything: what `analyze
// --device` turns into a latency, and what a latency limit can check cheaply.
//
// A kernel's cost is linear in its layer's figures (one call, MACs, output
// elements, output pixels, input elements, window elements: MACs over output
// channels, the bytes a convolution gathers or widens per output pixel, summed;
// window taps: window elements over input channels; MACs inside the input); the coefficients are
// fitted by non-negative least squares to per-layer instruction counts of the generated C under
// QEMU. `build/bench_cost_model` measures, fits and prints the tables in cost_model.cc, and the
// prediction's error per model.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/model_stats.h"

namespace mcunet {

// The figures a layer's cost is linear in, in KernelCost's coefficient order.
constexpr int kCostFeatures = 8;
std::array<double, kCostFeatures> CostFeatures(const LayerStats& layer);

struct KernelCost {
  std::string_view kernel;  // LayerStats::kernel; "invoke" is the per-inference overhead
  // Per call, MAC, output element, output pixel, input element, window element, window tap,
  // MAC inside the input.
  std::array<double, kCostFeatures> per;
};

// The fitted table of a target: "cortex-m7" (used for cortex-m4 too: the same
// ARMv7E-M code, counts within 3 %) or "cortex-m0plus". Empty for others.
std::span<const KernelCost> KernelCosts(std::string_view target);

struct CostEstimate {
  int64_t instructions = 0;
  std::vector<int64_t> layers;               // per layer, in execution order
  std::vector<std::string> unknown_kernels;  // kernels the table lacks (counted as 0)
};

CostEstimate EstimateInstructions(const ModelStats& stats, std::string_view target);

}  // namespace mcunet
