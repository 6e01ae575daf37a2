// The 256-entry table behind TF Lite's int16 sigmoid and tanh (and so behind
// the int8 LSTM): sigmoid(k / 24) for k = 0..255 in 0.16 fixed point, read
// with linear interpolation between entries.
#pragma once

#include <array>
#include <cstdint>

namespace mcunet {

// Each entry is lifted above sigmoid(k / 24) by half the largest gap between the
// curve and the chord of its step (h^2 / 16 * |sigmoid''|, h = 1/24), which evens
// out the interpolation error above and below the curve, then rounded; the last
// entry is 0xFFFF. This reproduces TF Lite's table entry for entry
// (tests/ops/sigmoid_table_test.cc checks its properties; the LSTM goldens its use).
const std::array<uint16_t, 256>& SigmoidTable();

}  // namespace mcunet
