// Our placement: every buffer at an exact offset, in-place permissions used,
// several placement orders tried and the smallest arena kept.
#pragma once

#include "planner/buffer_request.h"

namespace mcunet {

// Places buffers one by one, each at the lowest offset that the plan checker's
// rules allow, trying several orders (by size, by birth, by lifetime, by area,
// and seeded shuffles of these); returns the smallest plan.
// `max_orders` > 0 limits the orders tried (the first ones listed are the best
// on chains).
ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, int64_t alignment,
                    int max_orders = 0);

}  // namespace mcunet
