#include "ir/padding.h"

#include <algorithm>

namespace mcunet {

Padded ComputePadding(Padding padding, int32_t in, int32_t filter, int32_t stride, int32_t dilation,
                      int32_t before, int32_t after) {
  Padded r;
  const int64_t effective = static_cast<int64_t>(filter - 1) * dilation + 1;
  if (padding == Padding::kExplicit) {
    const int64_t span = int64_t{in} + before + after - effective;
    r.out = span < 0 ? 0 : static_cast<int32_t>(span / stride + 1);
    r.pad_before = before;
    r.pad_after = after;
    return r;
  }
  if (padding == Padding::kSame) {
    r.out = static_cast<int32_t>((static_cast<int64_t>(in) + stride - 1) / stride);
  } else {
    const int64_t span = static_cast<int64_t>(in) + stride - effective;
    r.out = span < 0 ? 0 : static_cast<int32_t>(span / stride);
  }
  const int64_t total =
      std::max<int64_t>(0, static_cast<int64_t>(r.out - 1) * stride + effective - in);
  r.pad_before = static_cast<int32_t>(total / 2);
  r.pad_after = static_cast<int32_t>(total - total / 2);
  return r;
}

}  // namespace mcunet
