// What a planner places: buffers with lifetimes, and the in-place permissions
// that let an output share bytes with the input it consumes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mcunet {

struct BufferRequest {
  int64_t size = 0;
  int first_step = 0;  // live from the start of this step...
  int last_step = 0;   // ...to the end of this one (inclusive)
  // In-place permission: this buffer may overlap buffer `overlaps` (an input that
  // dies at the step this one is written) if it starts at least `overlap_offset`
  // bytes below it. -1: no permission.
  int overlaps = -1;
  int64_t overlap_offset = 0;
  // A variable tensor (state): live at every step and between invocations, so
  // it is kept out of the lifetime packing (memory_plan.h) and never shares bytes.
  bool persistent = false;
  // A view: this buffer is bytes [view_offset, view_offset + size) of buffer
  // `view_of` (a CONCATENATION input inside its output, planner/views.h). Its
  // parent lives whenever it does; no in-place permission names either side.
  // -1: an ordinary buffer.
  int view_of = -1;
  int64_t view_offset = 0;
  // A strided view (a concatenation along the last axis): rows of view_row
  // bytes, view_stride bytes apart from view_offset on; 0: contiguous.
  int64_t view_stride = 0;
  int64_t view_row = 0;
  // Bytes from the first to the last byte of the buffer (size, or a strided
  // view's span, gaps included).
  int64_t Extent() const {
    return view_stride == 0 || view_row == 0 ? size
                                             : (size / view_row - 1) * view_stride + view_row;
  }
};

struct ArenaPlan {
  std::vector<int64_t> offsets;  // one per request
  int64_t arena_bytes = 0;
};

// Floor and ceiling to a multiple of a (offsets may be negative while placing).
inline int64_t AlignDown(int64_t v, int64_t a) { return (v >= 0 ? v : v - a + 1) / a * a; }
inline int64_t AlignUp(int64_t v, int64_t a) { return AlignDown(v + a - 1, a); }

inline bool LifetimesOverlap(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

// Whether a at offset oa and b at offset ob may coexist: disjoint bytes, an
// in-place permission between them that the offsets respect, or a view exactly
// where its parent puts it.
bool PlacementAllowed(const std::vector<BufferRequest>& requests, size_t a, int64_t oa, size_t b,
                      int64_t ob);

// First fit: the lowest offset, a multiple of `alignment` past each range it
// clears, where `size` bytes fit below, between or above the byte ranges
// `taken` ([begin, end), any order). TF Lite Micro's placement rule; the
// caller checks the result against an arena when there is one.
int64_t FirstFitOffset(std::vector<std::pair<int64_t, int64_t>> taken, int64_t size,
                       int64_t alignment);

// The plan checker: empty if every buffer lies inside the arena, every view
// sits at its place in its parent and lives only while the parent does, and no
// two buffers live at the same step share a byte except as an in-place
// permission or a view allows; otherwise a description of the first violation.
std::string FindOverlap(const std::vector<BufferRequest>& requests, const ArenaPlan& plan);

// Bytes that must be live together at the busiest step (permitted overlaps
// counted once): no plan for these requests can use a smaller arena.
int64_t ArenaLowerBound(const std::vector<BufferRequest>& requests);

}  // namespace mcunet
