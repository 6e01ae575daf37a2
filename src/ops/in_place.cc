#include "ops/in_place.h"

namespace mcunet {
namespace {

// First coordinate >= 0 of the taps start, start + dilation, ... (k taps), or
// `size` when the whole window is outside.
int64_t FirstTapInside(int64_t start, int64_t k, int64_t dilation, int64_t size) {
  int64_t first = start;
  if (first < 0) first += ((-first + dilation - 1) / dilation) * dilation;
  if (first >= start + k * dilation || first >= size) return size;
  return first;
}

}  // namespace

int64_t WindowedKernelOffsetExact(const mcunet_conv_params& p, int64_t in_channels,
                                  int64_t out_channels) {
  const int64_t plane = int64_t{p.out_h} * p.out_w;
  const int64_t in_image = int64_t{p.in_h} * p.in_w * in_channels;
  return SmallestSafeOffset(
      int64_t{p.batches} * plane,
      [&](int64_t t) {
        const int64_t b = t / plane, oy = (t % plane) / p.out_w, ox = t % p.out_w;
        const int64_t iy = FirstTapInside(oy * p.stride_h - p.pad_top, p.k_h, p.dilation_h, p.in_h);
        const int64_t ix =
            FirstTapInside(ox * p.stride_w - p.pad_left, p.k_w, p.dilation_w, p.in_w);
        if (iy >= p.in_h || ix >= p.in_w) return INT64_MAX;  // reads nothing: no constraint
        return b * in_image + (iy * p.in_w + ix) * in_channels;
      },
      [&](int64_t t) { return (t + 1) * out_channels; });
}

int64_t WindowedKernelOffset(const mcunet_conv_params& p, int64_t in_channels,
                             int64_t out_channels) {
  if (p.dilation_h != 1 || p.dilation_w != 1) {
    return WindowedKernelOffsetExact(p, in_channels, out_channels);
  }
  const int64_t in_image = int64_t{p.in_h} * p.in_w * in_channels;
  const auto first_col = [&](int64_t ox) {
    return FirstTapInside(ox * p.stride_w - p.pad_left, p.k_w, 1, p.in_w);
  };
  // Columns whose window touches the image: [first_valid, last_valid] (windows
  // wholly in the left or right padding read nothing); those up to last_clipped
  // start at column 0.
  int64_t first_valid = -1, last_clipped = -1, last_valid = -1;
  for (int64_t ox = 0; ox < p.out_w; ++ox) {
    if (first_col(ox) >= p.in_w) continue;
    if (first_valid < 0) first_valid = ox;
    if (first_col(ox) == 0) last_clipped = ox;
    last_valid = ox;
  }
  // Lowest byte a row reads (its first valid pixel, since reads grow along the row).
  const auto row_read = [&](int64_t b, int64_t oy) {
    const int64_t iy = FirstTapInside(oy * p.stride_h - p.pad_top, p.k_h, 1, p.in_h);
    if (iy >= p.in_h || first_valid < 0) return INT64_MAX;  // reads nothing
    return b * in_image + (iy * p.in_w + first_col(first_valid)) * in_channels;
  };
  int64_t offset = 0;
  int64_t later_rows_min = INT64_MAX;  // lowest byte read by any later row
  for (int64_t b = p.batches - 1; b >= 0; --b) {
    for (int64_t oy = p.out_h - 1; oy >= 0; --oy) {
      const int64_t row_start_t = (b * p.out_h + oy) * p.out_w;
      const int64_t iy = FirstTapInside(oy * p.stride_h - p.pad_top, p.k_h, 1, p.in_h);
      const auto write_end = [&](int64_t ox) { return (row_start_t + ox + 1) * out_channels; };
      if (iy < p.in_h) {
        // write_end - read is linear between the edges of the clipped and valid
        // column ranges, so its maximum is at one of them.
        for (int64_t ox : {first_valid, last_clipped, last_clipped + 1, last_valid}) {
          if (ox < first_valid || ox > last_valid || first_valid < 0) continue;
          const int64_t read = b * in_image + (iy * p.in_w + first_col(ox)) * in_channels;
          offset = std::max(offset, write_end(ox) - std::min(read, later_rows_min));
        }
      }
      if (later_rows_min != INT64_MAX) {
        offset = std::max(offset, write_end(p.out_w - 1) - later_rows_min);
      }
      later_rows_min = std::min(later_rows_min, row_read(b, oy));
    }
  }
  return offset;
}

}  // namespace mcunet
