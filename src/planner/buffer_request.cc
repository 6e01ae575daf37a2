#include "planner/buffer_request.h"

#include <fmt/format.h>

#include <algorithm>

namespace mcunet {

bool PlacementAllowed(const std::vector<BufferRequest>& requests, size_t a, int64_t oa, size_t b,
                      int64_t ob) {
  const BufferRequest& ra = requests[a];
  const BufferRequest& rb = requests[b];
  if (ra.view_of == static_cast<int>(b)) return oa == ob + ra.view_offset;
  if (rb.view_of == static_cast<int>(a)) return ob == oa + rb.view_offset;
  if (ra.size == 0 || rb.size == 0) return true;
  // Strided views of one parent interleave: their rows must not share a column.
  if (ra.view_of >= 0 && ra.view_of == rb.view_of && ra.view_stride > 0 &&
      ra.view_stride == rb.view_stride) {
    const int64_t ca = ra.view_offset, cb = rb.view_offset;
    return ca + ra.view_row <= cb || cb + rb.view_row <= ca;
  }
  if (oa + ra.Extent() <= ob || ob + rb.Extent() <= oa) return true;
  if (ra.overlaps == static_cast<int>(b)) return oa <= ob - ra.overlap_offset;
  if (rb.overlaps == static_cast<int>(a)) return ob <= oa - rb.overlap_offset;
  return false;
}

int64_t FirstFitOffset(std::vector<std::pair<int64_t, int64_t>> taken, int64_t size,
                       int64_t alignment) {
  std::sort(taken.begin(), taken.end());
  int64_t offset = 0;
  for (const auto& [begin, end] : taken) {
    if (offset + size <= begin) break;
    offset = std::max(offset, AlignUp(end, alignment));
  }
  return offset;
}

std::string FindOverlap(const std::vector<BufferRequest>& requests, const ArenaPlan& plan) {
  if (plan.offsets.size() != requests.size()) {
    return fmt::format("plan has {} offsets for {} buffers", plan.offsets.size(), requests.size());
  }
  for (size_t a = 0; a < requests.size(); ++a) {
    if (plan.offsets[a] < 0 || plan.offsets[a] + requests[a].Extent() > plan.arena_bytes) {
      return fmt::format("buffer {} at {} (+{}) lies outside the {}-byte arena", a, plan.offsets[a],
                         requests[a].size, plan.arena_bytes);
    }
    if (const int p = requests[a].view_of; p >= 0) {
      if (p >= static_cast<int>(requests.size()) || requests[p].view_of >= 0 ||
          requests[a].view_offset < 0 ||
          requests[a].view_offset + requests[a].Extent() > requests[p].size ||
          (requests[a].view_stride > 0 &&
           (requests[a].view_row <= 0 || requests[a].size % requests[a].view_row != 0 ||
            requests[a].view_offset + requests[a].view_row > requests[a].view_stride)) ||
          requests[a].first_step < requests[p].first_step ||
          requests[a].last_step > requests[p].last_step) {
        return fmt::format("buffer {} is no view inside buffer {} (bytes or lifetime outside it)",
                           a, p);
      }
    }
    for (size_t b = a + 1; b < requests.size(); ++b) {
      if (!LifetimesOverlap(requests[a], requests[b])) continue;
      if (!PlacementAllowed(requests, a, plan.offsets[a], b, plan.offsets[b])) {
        return fmt::format("buffers {} [{}, {}) and {} [{}, {}) overlap while both live", a,
                           plan.offsets[a], plan.offsets[a] + requests[a].size, b, plan.offsets[b],
                           plan.offsets[b] + requests[b].size);
      }
    }
  }
  return "";
}

int64_t ArenaLowerBound(const std::vector<BufferRequest>& requests) {
  int last = 0;
  for (const auto& r : requests) last = std::max(last, r.last_step);
  std::vector<int64_t> live(last + 1, 0);
  for (const auto& r : requests) {
    if (r.view_of >= 0) continue;  // its parent's bytes
    for (int s = r.first_step; s <= r.last_step; ++s) live[s] += r.size;
  }
  // A permitted pair shares bytes at the step where one is born and the other dies.
  for (const auto& r : requests) {
    if (r.overlaps < 0 || r.size == 0) continue;
    const BufferRequest& in = requests[r.overlaps];
    if (in.size == 0 || !LifetimesOverlap(r, in)) continue;
    const int64_t together = std::max(in.size + r.overlap_offset, r.size);
    live[r.first_step] -= std::max<int64_t>(0, r.size + in.size - together);
  }
  return live.empty() ? 0 : *std::max_element(live.begin(), live.end());
}

}  // namespace mcunet
