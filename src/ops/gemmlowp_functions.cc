// gemmlowp's fixed-point algorithms (fixedpoint.h) as TF Lite Micro applies them:
// a raw int32 with k integer bits stands for raw / 2^(31 - k); products of two
// such values are rounding doubling high multiplies, sums are plain int32 sums.
#include "ops/gemmlowp_functions.h"

#include <limits>

#include "kernels/mcunet_fixed_point.h"

namespace mcunet {
namespace {

constexpr int32_t kOne = std::numeric_limits<int32_t>::max();  // 1.0 with 0 integer bits

int32_t Mul(int32_t a, int32_t b) { return mcunet_srdhm(a, b); }

// Saturating multiplication by 2^k (k > 0), gemmlowp's threshold rule.
int32_t ShiftLeftSaturating(int32_t x, int k) { return mcunet_saturating_shift_left(x, k); }

// exp(x) for x in [-1/4, 0), x and the result with 0 integer bits: a Taylor
// expansion around -1/8.
int32_t ExpOnQuarterInterval(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668;
  const int32_t one_third = 715827883;
  const int32_t x = a + (1 << 28);  // a + 1/8
  const int32_t x2 = Mul(x, x);
  const int32_t x3 = Mul(x2, x);
  const int32_t x4 = Mul(x2, x2);
  const int32_t x4_over_4 = mcunet_rounding_divide_by_pot(x4, 2);
  const int32_t poly =
      mcunet_rounding_divide_by_pot(Mul(x4_over_4 + x3, one_third) + x2, 1);  // x4/24+x3/6+x2/2
  return exp_minus_one_eighth + Mul(exp_minus_one_eighth, x + poly);
}

// exp(a) for a <= 0 with `integer_bits` integer bits (at most 5); the result has 0.
int32_t ExpOnNegativeValues(int32_t a, int integer_bits) {
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = int32_t{1} << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_quarter = (a & mask) - one_quarter;
  int32_t result =
      ExpOnQuarterInterval(ShiftLeftSaturating(a_mod_quarter_minus_quarter, integer_bits));
  const int32_t remainder = a_mod_quarter_minus_quarter - a;
  // exp(-2^e) for e = -2 .. 4, multiplied in for each bit set in the remainder.
  constexpr struct {
    int exponent;
    int32_t multiplier;
  } kBarrel[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                 {2, 39332535},    {3, 720401},      {4, 242}};
  for (const auto& step : kBarrel) {
    if (integer_bits > step.exponent &&
        (remainder & (int32_t{1} << (fractional_bits + step.exponent))) != 0) {
      result = Mul(result, step.multiplier);
    }
  }
  return a == 0 ? kOne : result;
}

// Newton-Raphson for 1 / (1 + a) / 2-scaled, a in [0, 1] with 0 integer bits; the
// iterate has 2 integer bits. Returns the iterate x ~ 1 / (1 + a).
int32_t ReciprocalIterate(int32_t a) {
  // Half of (a + 1), rounded (gemmlowp's RoundingHalfSum).
  const int64_t sum = int64_t{a} + kOne;
  const int32_t half_denominator = static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t forty_eight_over_17 = 1515870810;
  const int32_t minus_thirty_two_over_17 = -1010580540;
  int32_t x = forty_eight_over_17 + Mul(half_denominator, minus_thirty_two_over_17);
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus_hd_x = (1 << 29) - Mul(half_denominator, x);
    x = x + ShiftLeftSaturating(Mul(x, one_minus_hd_x), 2);
  }
  return x;
}

}  // namespace

int32_t GemmlowpLogistic(int32_t x_q4) {
  if (x_q4 == 0) return 1 << 30;  // one half
  const int32_t abs_x = x_q4 > 0 ? x_q4 : -x_q4;
  const int32_t positive =
      ShiftLeftSaturating(ReciprocalIterate(ExpOnNegativeValues(-abs_x, 4)), 1);
  return x_q4 > 0 ? positive : kOne - positive;
}

int32_t GemmlowpTanh(int32_t x_q4) {
  if (x_q4 == 0) return 0;
  const int32_t minus_abs = x_q4 < 0 ? x_q4 : -x_q4;
  // The same raw value read with 5 integer bits is 2x: tanh(x) = (1 - e^-2|x|) / (1 + e^-2|x|).
  const int32_t t =
      ShiftLeftSaturating(ReciprocalIterate(ExpOnNegativeValues(minus_abs, 5)) - (1 << 29), 2);
  return x_q4 < 0 ? -t : t;
}

}  // namespace mcunet
