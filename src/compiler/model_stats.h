// Per-layer and total figures of a compiled model: what `mcunet analyze` reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/compile.h"

namespace mcunet {

struct LayerStats {
  int index = 0;  // operator index in the source model
  std::string op;
  std::string kernel;  // the kernel function its generated call uses ("": none, e.g. an alias)
  std::vector<std::string> input_shapes;  // non-constant inputs
  std::string output_shape;
  int64_t input_elements = 0;   // non-constant inputs
  int64_t input_channels = 0;   // innermost dimension of the first non-constant input
  int64_t output_elements = 0;  // output 0
  int64_t output_pixels = 0;    // output 0's elements over its innermost dimension
  int64_t macs = 0;
  // Of a convolution's MACs, those whose window tap falls inside the input
  // (padded taps are skipped or filled, not multiplied); = macs for other ops.
  int64_t inside_macs = 0;
  int64_t weight_bytes = 0;      // constant inputs (weights, biases, tables)
  int64_t activation_bytes = 0;  // non-constant inputs + outputs
  int64_t scratch_bytes = 0;
  int64_t live_bytes = 0;           // arena bytes in use during this layer (our plan)
  int64_t baseline_live_bytes = 0;  // the same under the TFLM-style plan
  struct LiveBuffer {
    int tensor;  // tensor index, or -1 for a scratch buffer
    int64_t bytes;
  };
  std::vector<LiveBuffer> live;  // buffers live during this layer
};

struct ModelStats {
  std::vector<LayerStats> layers;
  // The totals, as CompiledModel::totals defines them.
  int64_t macs = 0;
  int64_t params = 0;
  int64_t weights_bytes = 0;
  int64_t flash_bytes = 0;
  int64_t peak_sram_bytes = 0;
  int64_t baseline_sram_bytes = 0;  // TF Lite Micro's greedy-by-size plan, no in-place
  int64_t lower_bound_bytes = 0;    // bytes that must be live together at the busiest layer
  int peak_layer = 0;               // position in `layers` of the busiest layer
};

ModelStats ComputeModelStats(const CompiledModel& model);

}  // namespace mcunet
