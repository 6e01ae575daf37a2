// The input rescaling TF Lite Micro's int8 LOGISTIC and TANH share
// (logistic_common.cc, tanh.cc): the offset input to Q4.27 through a multiplier
// from frexp of in_scale * 2^27, and the radius beyond which the output saturates.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "ir/graph.h"

namespace mcunet {

struct SigmoidInput {
  int32_t multiplier = 0;
  int left_shift = 0;
  int32_t range_radius = 0;  // |x - zero point| at or beyond this saturates
};

Expected<SigmoidInput> PrepareSigmoidInput(const Node& node, float input_scale);

// The offset input as a Q4.27 raw value (|x| below the radius).
int32_t SigmoidInputQ4(const SigmoidInput& in, int32_t x);

}  // namespace mcunet
