// In-place rules: how far below its input an op's output may start and still
// never overwrite an input byte before the kernel has read it.
//
// A kernel runs in steps (an output pixel, a row...). If, by the end of step t,
// it has written output bytes [0, write_end(t)) and every step from t on reads
// input bytes at or above read_start(t), then an output placed D bytes below the
// input is safe iff D >= write_end(t) - read_start(t) for every t: each write
// lands below every byte still to be read. This is a property of the kernel's
// loop order, so it is stated next to each op and proven by tests that run the
// kernel on overlapping buffers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/mcunet_kernels.h"

namespace mcunet {

// No in-place placement for this input.
constexpr int64_t kNoInPlace = -1;

// Smallest safe offset for a kernel of `steps` steps. `read_start(t)` is the
// lowest input byte read at step t (reads at later steps are found by a suffix
// minimum); `write_end(t)` the end of the output written by the end of step t.
template <typename ReadStart, typename WriteEnd>
int64_t SmallestSafeOffset(int64_t steps, ReadStart read_start, WriteEnd write_end) {
  int64_t offset = 0;
  int64_t min_read = INT64_MAX;
  for (int64_t t = steps - 1; t >= 0; --t) {
    min_read = std::min(min_read, read_start(t));
    offset = std::max(offset, write_end(t) - min_read);
  }
  return offset;
}

// Convolution-like kernels (conv, depthwise, pooling) that visit output pixels in
// (batch, y, x) order, each reading a dilated window of the input. Without
// dilation the reads grow monotonically along a row, so each row needs only a few
// evaluations (the NAS plans thousands of networks); with dilation every pixel is
// simulated. Both give the same value (tested).
int64_t WindowedKernelOffset(const mcunet_conv_params& p, int64_t in_channels,
                             int64_t out_channels);
// The pixel-by-pixel simulation, for any dilation.
int64_t WindowedKernelOffsetExact(const mcunet_conv_params& p, int64_t in_channels,
                                  int64_t out_channels);

}  // namespace mcunet
