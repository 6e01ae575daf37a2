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

int64_t WindowedKernelOffset(const mcunet_conv_params& p, int64_t in_channels,
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
        if (iy >= p.in_h || ix >= p.in_w) return (b + 1) * in_image;  // reads nothing
        return b * in_image + (iy * p.in_w + ix) * in_channels;
      },
      [&](int64_t t) { return (t + 1) * out_channels; });
}

}  // namespace mcunet
