/* SOFTMAX int8 -> int8 (output scale 1/256, zero point -128), TFLite's
 * fixed-point algorithm: differences to the row maximum are scaled to Q5.26,
 * exponentiated with gemmlowp's exp_on_negative_values, summed in Q12.19, and
 * normalised by a Newton-Raphson reciprocal. LOG_SOFTMAX (output scale 16/256,
 * zero point 127) sums the same exponentials and subtracts their logarithm.
 * Both read a row in full before writing it, element c before output c. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

enum { kScaledDiffIntegerBits = 5, kAccumulationIntegerBits = 12 };

static inline int32_t q0_mul(int32_t a, int32_t b) { return mcunet_srdhm(a, b); }

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor series around -1/8. */
static int32_t exp_on_interval_neg_quarter_to_0(int32_t a) {
  const int32_t constant_term = 1895147668;    /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883; /* 1/3 */
  const int32_t x = a + (1 << 28);             /* a + 1/8 */
  const int32_t x2 = q0_mul(x, x);
  const int32_t x3 = q0_mul(x2, x);
  const int32_t x4 = q0_mul(x2, x2);
  const int32_t x4_over_4 = mcunet_rounding_divide_by_pot(x4, 2);
  const int32_t poly =
      mcunet_rounding_divide_by_pot(q0_mul(x4_over_4 + x3, constant_1_over_3) + x2, 1);
  return constant_term + q0_mul(constant_term, x + poly);
}

/* exp(a) for a <= 0 given in Q5.26; result in Q0.31. */
static int32_t exp_on_negative_values(int32_t a) {
  const int kFractionalBits = 31 - kScaledDiffIntegerBits;
  const int32_t one_quarter = 1 << (kFractionalBits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  int32_t result = exp_on_interval_neg_quarter_to_0(
      mcunet_saturating_shift_left(a_mod_quarter_minus_one_quarter, kScaledDiffIntegerBits));
  const int32_t remainder = a_mod_quarter_minus_one_quarter - a;
  /* exp(-2^k) for k = -2..4 in Q0.31; applied for each set bit of the remainder. */
  static const int32_t kBarrel[7] = {1672461947, 1302514674, 790015084, 290630308,
                                     39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (kScaledDiffIntegerBits > k && (remainder & (1 << (kFractionalBits + k)))) {
      result = q0_mul(result, kBarrel[k + 2]);
    }
  }
  /* kScaledDiffIntegerBits == 5, so gemmlowp's clamp below -32 does not apply. */
  return a == 0 ? INT32_MAX : result;
}

/* (a + b) / 2 rounded half away from zero, in int64 (gemmlowp's RoundingHalfSum). */
static int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* 1 / (1 + x) for x in [0, 1), Q0.31 in and out (Newton-Raphson in Q2.29). */
static int32_t one_over_one_plus_x(int32_t a) {
  const int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  const int32_t one_q2 = 1 << 29;
  int32_t x = constant_48_over_17 + q0_mul(half_denominator, constant_neg_32_over_17);
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = q0_mul(half_denominator, x);
    const int32_t one_minus = one_q2 - half_denominator_times_x;
    x = x + mcunet_saturating_shift_left(q0_mul(x, one_minus), 2);
  }
  return mcunet_saturating_shift_left(x, 1);
}

static int count_leading_zeros(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    ++n;
  }
  return n;
}

static int32_t row_max(const int8_t* in, int32_t depth) {
  int32_t max_in_row = -128;
  for (int32_t c = 0; c < depth; ++c) {
    if (in[c] > max_in_row) max_in_row = in[c];
  }
  return max_in_row;
}

/* Sum over the row, in Q12.19, of exp(difference to the maximum) for the
 * differences within the input radius (>= diff_min), the differences scaled to
 * Q5.26 by multiplier and left shift; wrapping addition, as TFLite's. */
static int32_t sum_of_exps_q12(const int8_t* in, int32_t depth, int32_t max_in_row,
                               int32_t multiplier, int32_t left_shift, int32_t diff_min) {
  uint32_t sum = 0;
  for (int32_t c = 0; c < depth; ++c) {
    const int32_t diff = in[c] - max_in_row;
    if (diff >= diff_min) {
      const int32_t scaled = mcunet_srdhm(diff * (1 << left_shift), multiplier);
      sum += (uint32_t)mcunet_rounding_divide_by_pot(exp_on_negative_values(scaled),
                                                     kAccumulationIntegerBits);
    }
  }
  return (int32_t)sum;
}

/* Both outputs: int8 (scale 1/256, zero point -128) or, when `wide`, int16
 * (1/65536, -32768), TFLite's one template with the output's bits. Inlined in
 * each entry, so that each is specialised and a project links only its own. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int mcunet_softmax_rows(const mcunet_softmax_params* p, const int8_t* input, void* output,
                               int wide) {
  const int bits = wide ? 16 : 8;
  const int32_t lowest = wide ? INT16_MIN : INT8_MIN, highest = wide ? INT16_MAX : INT8_MAX;
  for (int32_t r = 0; r < p->rows; ++r) {
    const int8_t* in = input + (int64_t)r * p->depth;
    int8_t* out = (int8_t*)output + (int64_t)r * p->depth;
    int16_t* out16 = (int16_t*)output + (int64_t)r * p->depth;
    const int32_t max_in_row = row_max(in, p->depth);
    const int32_t sum_of_exps = sum_of_exps_q12(in, p->depth, max_in_row, p->input_multiplier,
                                                p->input_left_shift, p->diff_min);
    /* Reciprocal of the sum: normalise into [1, 2) and invert. */
    const int headroom_plus_one = count_leading_zeros((uint32_t)sum_of_exps);
    const int num_bits_over_unit = kAccumulationIntegerBits - headroom_plus_one;
    const int32_t shifted_sum_minus_one =
        (int32_t)(((uint32_t)sum_of_exps << headroom_plus_one) - (1u << 31));
    const int32_t shifted_scale = one_over_one_plus_x(shifted_sum_minus_one);
    for (int32_t c = 0; c < p->depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      int32_t v = lowest;
      if (diff >= p->diff_min) {
        const int32_t scaled = mcunet_srdhm(diff * (1 << p->input_left_shift), p->input_multiplier);
        const int32_t exp_in_0 = exp_on_negative_values(scaled);
        const int32_t unsat = mcunet_rounding_divide_by_pot(q0_mul(shifted_scale, exp_in_0),
                                                            num_bits_over_unit + 31 - bits);
        v = mcunet_clamp_i32(unsat + lowest, lowest, highest);
      }
      if (wide) {
        out16[c] = (int16_t)v;
      } else {
        out[c] = (int8_t)v;
      }
    }
  }
  return MCUNET_OK;
}

int mcunet_softmax_s8(const mcunet_softmax_params* p, const int8_t* input, int8_t* output) {
  return mcunet_softmax_rows(p, input, output, 0);
}

int mcunet_softmax_s8_s16(const mcunet_softmax_params* p, const int8_t* input, int16_t* output) {
  return mcunet_softmax_rows(p, input, output, 1);
}

/* Saturating int32 a + b and a - b (TFLite's SaturatingAddNonGemmlowp / SaturatingSub). */
static int32_t saturate_i64(int64_t v) {
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* log_x_ge_1 takes Q12.19 and returns Q5.26, accumulating with one bit more;
 * LOG_SOFTMAX's int8 output has 4 integer bits (scale 16/256), 22 bits below
 * the Q5.26 difference's. */
enum { kLogInputBits = 12, kLogOutputBits = 5, kLogAccumBits = kLogOutputBits + 1 };
enum { kLogSoftmaxOutputShift = 31 - kScaledDiffIntegerBits - 4 };

/* log(z) for z >= 1 given in Q12.19; result in Q5.26 (gemmlowp's
 * log_x_for_x_greater_than_or_equal_to_1): z = 2^k * r with r in [sqrt(1/2),
 * sqrt(2)), chosen from two candidate normalisations, and log(r) from a rational
 * approximation around 2^(-1/4), accumulated with one extra integer bit. */
static int32_t log_x_ge_1(int32_t z) {
  const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250;
  const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769,
                alpha_f = 638450708;
  const int32_t shifted_quarter = mcunet_rounding_divide_by_pot(536870912, kLogAccumBits);
  const int z_a_headroom_plus_1 = count_leading_zeros((uint32_t)z);
  const int32_t r_a = mcunet_saturating_shift_left(
      q0_mul(mcunet_saturating_shift_left(z, z_a_headroom_plus_1 - 1), sqrt_half), 1);
  const int32_t z_a_pow_2_adj = saturate_i64(
      (int64_t)mcunet_saturating_shift_left(kLogInputBits - z_a_headroom_plus_1,
                                            31 - kLogAccumBits) +
      shifted_quarter);
  const int32_t z_b = q0_mul(z, sqrt_half);
  const int z_b_headroom = count_leading_zeros((uint32_t)z_b) - 1;
  const int32_t r_b = mcunet_saturating_shift_left(z, z_b_headroom);
  const int32_t z_b_pow_2_adj = saturate_i64(
      (int64_t)mcunet_saturating_shift_left(kLogInputBits - z_b_headroom, 31 - kLogAccumBits) -
      shifted_quarter);
  const int32_t r = r_a < r_b ? r_a : r_b;
  const int32_t z_pow_2_adj = z_a_pow_2_adj > z_b_pow_2_adj ? z_a_pow_2_adj : z_b_pow_2_adj;
  const int32_t p = rounding_half_sum(r, sqrt_sqrt_half);
  int32_t q = r - sqrt_sqrt_half;
  q = q + q;
  const int32_t common_sq = q0_mul(q, q);
  const int32_t num = q0_mul(q, r) + q0_mul(q0_mul(q, common_sq), alpha_n);
  const int32_t denom_minus_one =
      q0_mul(p, alpha_i + q + q0_mul(alpha_d, common_sq)) + q0_mul(alpha_f, q);
  const int32_t recip_denom = one_over_one_plus_x(denom_minus_one);
  const int32_t num_scaled = mcunet_rounding_divide_by_pot(num, kLogAccumBits);
  const int32_t sum =
      (int32_t)((uint32_t)q0_mul(z_pow_2_adj, log_2) + (uint32_t)q0_mul(num_scaled, recip_denom));
  return mcunet_saturating_shift_left(sum, kLogAccumBits - kLogOutputBits);
}

int mcunet_log_softmax_s8(const mcunet_log_softmax_params* p, const int8_t* input,
                          int8_t* output) {
  for (int32_t r = 0; r < p->rows; ++r) {
    const int8_t* in = input + (int64_t)r * p->depth;
    int8_t* out = output + (int64_t)r * p->depth;
    const int32_t max_in_row = row_max(in, p->depth);
    const int32_t sum_of_exps = sum_of_exps_q12(in, p->depth, max_in_row, p->input_multiplier,
                                                p->input_left_shift, p->diff_min);
    const int32_t log_sum = log_x_ge_1(sum_of_exps); /* Q5.26 */
    /* Differences at or below this give the lowest output (note > below, not >=). */
    const int32_t shifted_log_sum = (int32_t)((uint32_t)log_sum + (uint32_t)INT32_MIN);
    const int32_t reverse = mcunet_requantize(shifted_log_sum, p->reverse_multiplier,
                                              p->reverse_shift);
    const int32_t adjusted_diff_min = reverse > p->diff_min - 1 ? reverse : p->diff_min - 1;
    for (int32_t c = 0; c < p->depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff > adjusted_diff_min) {
        const int32_t scaled = mcunet_srdhm(diff * (1 << p->input_left_shift), p->input_multiplier);
        const int32_t v = mcunet_rounding_divide_by_pot(
            (int32_t)((uint32_t)scaled - (uint32_t)log_sum), kLogSoftmaxOutputShift);
        out[c] = (int8_t)mcunet_clamp_i32(v + 127, -128, 127);
      } else {
        out[c] = -128;
      }
    }
  }
  return MCUNET_OK;
}
