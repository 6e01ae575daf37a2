// The kernels' requantisation against the slow statement of the spec
// (reference_math.h): every shift, the multipliers QuantizeMultiplier can give
// (negative ones too: weights may have negative scales), accumulators at the
// int32 extremes and at exact rounding ties of both steps.
#include <gtest/gtest.h>

#include <random>

#include "kernels/reference_math.h"
#include "kernels/mcunet_fixed_point.h"

namespace mcunet::testing {
namespace {

TEST(FixedPoint, RequantizeMatchesTheSpecOnTiesAndExtremes) {
  std::mt19937 rng(11);
  const int32_t multipliers[] = {0,          1 << 30,     (1 << 30) + 1, 1518500250, INT32_MAX,
                                 -(1 << 30), -1518500250, -1921673769,   INT32_MIN};
  int64_t checked = 0;
  for (int shift = -31; shift <= 30; ++shift) {
    for (int32_t m : multipliers) {
      std::vector<int32_t> xs = {0, 1, -1, 2, -2, 3, -3, INT32_MAX, INT32_MIN, INT32_MIN + 1};
      for (int i = 0; i < 200; ++i) xs.push_back(static_cast<int32_t>(rng()));
      // Ties of the high multiply (x*m = odd multiple of 2^30) and of the right
      // shift (x*m/2^31 = odd multiple of 2^(right-1)) with m = 2^30.
      for (int k = -5; k <= 5; ++k) {
        xs.push_back(2 * k + 1);
        if (shift < 0) xs.push_back(static_cast<int32_t>(int64_t{2 * k + 1} << (-shift)));
      }
      for (int32_t x : xs) {
        ASSERT_EQ(mcunet_requantize(x, m, shift), RefRequantize(x, m, shift))
            << "x " << x << " m " << m << " shift " << shift;
        if (shift <= -2) {  // the kernels' short form for the usual shifts
          ASSERT_EQ(mcunet_requantize_down_fast(x, m, -shift - 2), RefRequantize(x, m, shift))
              << "x " << x << " m " << m << " shift " << shift;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100000);
}

TEST(FixedPoint, RequantizeToInt8ClampsBeforeTheZeroPoint) {
  // A huge rescaled value with a positive zero point must clamp, not wrap.
  EXPECT_EQ(mcunet_requantize_to_int8(INT32_MAX, INT32_MAX, 0, 127, -128, 127), 127);
  EXPECT_EQ(mcunet_requantize_to_int8(INT32_MIN, INT32_MAX, 0, -128, -128, 127), -128);
  // In range: requantised value plus zero point, bounded by the activation range.
  EXPECT_EQ(mcunet_requantize_to_int8(100, 1 << 30, 0, 5, -128, 127), 55);
  EXPECT_EQ(mcunet_requantize_to_int8(100, 1 << 30, 0, 5, -128, 40), 40);
  EXPECT_EQ(mcunet_requantize_to_int8(-100, 1 << 30, 0, 5, 0, 127), 0);
}

}  // namespace
}  // namespace mcunet::testing
