// Per-layer and total figures of a prepared model: what `mcunet analyze` reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/executor.h"

namespace mcunet {

struct LayerStats {
  int index = 0;
  std::string op;
  std::vector<std::string> input_shapes;  // non-constant inputs
  std::string output_shape;
  int64_t macs = 0;
  int64_t weight_bytes = 0;      // constant inputs (weights, biases, tables)
  int64_t activation_bytes = 0;  // non-constant inputs + outputs
  int64_t scratch_bytes = 0;
};

struct ModelStats {
  std::vector<LayerStats> layers;
  int64_t macs = 0;
  int64_t params = 0;           // elements of quantised constants (weights, biases)
  int64_t weights_bytes = 0;    // bytes of every constant operators read
  int64_t peak_sram_bytes = 0;  // the arena the executor runs in
};

ModelStats ComputeModelStats(const Executor& executor);

}  // namespace mcunet
