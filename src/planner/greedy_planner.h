// The baseline: TF Lite Micro's greedy-by-size placement (largest buffer first,
// each at the lowest offset free for its whole lifetime), without in-place
// sharing. Every memory report shows it next to our plan.
#pragma once

#include "planner/buffer_request.h"

namespace mcunet {

ArenaPlan PlanGreedyBySize(const std::vector<BufferRequest>& requests, int64_t alignment);

}  // namespace mcunet
