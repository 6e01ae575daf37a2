// Arena placement by lifetime: TF Lite Micro's greedy-by-size strategy (largest
// buffer first, each at the lowest offset free for its whole lifetime). This is
// the first planner and the baseline that later planners are measured against.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mcunet {

struct BufferRequest {
  int64_t size = 0;
  int first_step = 0;  // live from the start of this step...
  int last_step = 0;   // ...to the end of this one (inclusive)
};

struct ArenaPlan {
  std::vector<int64_t> offsets;  // one per request
  int64_t arena_bytes = 0;
};

ArenaPlan PlanGreedyBySize(const std::vector<BufferRequest>& requests, int64_t alignment);

// Empty if no two buffers live at the same step overlap in memory; otherwise a
// description of the first conflict.
std::string FindOverlap(const std::vector<BufferRequest>& requests, const ArenaPlan& plan);

}  // namespace mcunet
