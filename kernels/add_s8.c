/* ADD int8 (TFLite's scheme): both inputs are shifted left by left_shift, scaled
 * to a common scale with Q31 multipliers below one, summed, then scaled to the
 * output. Strides of 0 broadcast an input along a dimension. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

static inline int32_t scale_below_one(int32_t x, int32_t multiplier, int32_t shift) {
  /* shift <= 0: a right shift after the high multiply. */
  return mcunet_rounding_divide_by_pot(mcunet_srdhm_unsaturated(x, multiplier), -shift);
}

/* Whether an input's strides are the output's own (no broadcasting). */
static int mcunet_add_dense(const int32_t* dims, const int32_t* strides) {
  return strides[3] == 1 && strides[2] == dims[3] && strides[1] == dims[2] * dims[3] &&
         (dims[0] == 1 || strides[0] == dims[1] * dims[2] * dims[3]);
}

/* One input of the flat loop: TFLite's SRDHM((q + offset) << left_shift, m)
 * then a rounding shift right by e, as one high word. With x = (q + offset) <<
 * (left_shift + 1 - e), it is the high word of x * m + 2^31 + d - [x < 0] 2d,
 * d = 2^(31 - e): mcunet_requantize_down's merged rounding scaled by 2^(1 - e),
 * exact because the shifted input has e - 1 zero bits to give (e <= left_shift
 * + 1). For e = 0 only SRDHM's own rounding is left: d = 0. */
typedef struct {
  int32_t scale, offset, multiplier; /* 2^(left_shift + 1 - e), offset * scale, m > 0 */
  uint32_t round, step;              /* 2^31 + d, 2d */
} mcunet_add_term;

static int mcunet_add_term_set(int32_t offset, int32_t left_shift, int32_t multiplier,
                               int32_t shift, mcunet_add_term* t) {
  const int32_t e = -shift;
  if (multiplier <= 0 || e < 0 || e > left_shift + 1 || left_shift + 1 - e > 21) return 0;
  const uint32_t d = e == 0 ? 0u : 1u << (31 - e);
  t->scale = 1 << (left_shift + 1 - e), t->offset = offset * t->scale;
  t->multiplier = multiplier, t->round = 0x80000000u + d, t->step = 2 * d;
  return 1;
}

static inline int32_t mcunet_add_term_value(int32_t q, mcunet_add_term t) {
  const int32_t x = q * t.scale + t.offset;
  const uint32_t low = t.round - ((uint32_t)(x >> 31) & t.step);
  return (int32_t)(((int64_t)x * t.multiplier + (int64_t)low) >> 32);
}

/* The flat loop's scalings, or 0 where a scale is outside what they allow
 * (the output's is mcunet_requantize_down_positive's: m > 0, shift <= -2). */
static int mcunet_add_flat_set(const mcunet_add_params* p, mcunet_add_term* t1,
                               mcunet_add_term* t2) {
  const int32_t eo = -p->output_shift - 2;
  return mcunet_add_term_set(p->input1_offset, p->left_shift, p->input1_multiplier, p->input1_shift,
                             t1) &&
         mcunet_add_term_set(p->input2_offset, p->left_shift, p->input2_multiplier, p->input2_shift,
                             t2) &&
         p->output_multiplier > 0 && eo >= 0 && eo <= 29;
}

#if defined(MCUNET_SIMD32) && defined(__GNUC__)
/* What mcunet_add_asm reads (field order: its loads). The inputs and output
 * are addressed from their ends by one index running from -count up to 0. */
typedef struct {
  const int8_t *in1_end, *in2_end;
  int8_t* out_end;
  int32_t minus_count;
  mcunet_add_term t1, t2;
  int32_t nudge, multiplier, e1, zero_point; /* output: 2^30, m > 0, e + 1 */
} mcunet_add_job;

/* The flat loop into the whole int8 range, 25 instructions an element: each
 * term's five constants come in with one LDM (the loop needs more registers
 * than the core has to keep them), the second term's SMLAL accumulates onto
 * the first's result, the output's scaling is mcunet_dw_requant_asm's. Naked:
 * nothing but the assembly. */
__attribute__((naked, noinline)) static void mcunet_add_asm(const mcunet_add_job* job
                                                            __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "add ip, r0, #36\n\t" /* t2; t1 the five words below */
      "ldm r0, {r0-r3}\n\t"
      "1:\n\t"
      "ldmdb ip, {r4-r8}\n\t"
      "ldrsb r9, [r0, r3]\n\t"
      "mla r9, r9, r4, r5\n\t"
      "and r10, r8, r9, asr #31\n\t"
      "sub r10, r7, r10\n\t"
      "mov r11, #0\n\t"
      "smlal r10, r11, r9, r6\n\t"
      "ldm ip, {r4-r8}\n\t"
      "ldrsb r9, [r1, r3]\n\t"
      "mla r9, r9, r4, r5\n\t"
      "and r10, r8, r9, asr #31\n\t"
      "sub r10, r7, r10\n\t"
      "smlal r10, r11, r9, r6\n\t"
      "ldrd r4, r5, [ip, #20]\n\t"
      "ldrd r6, r7, [ip, #28]\n\t"
      "asr lr, r11, #31\n\t"
      "orr r10, r4, lr, lsl #31\n\t"
      "smlal r10, lr, r11, r5\n\t"
      "asrs lr, lr, r6\n\t"
      "adcs lr, lr, r7\n\t"
      "ssat lr, #8, lr\n\t"
      "strb lr, [r2, r3]\n\t"
      "adds r3, r3, #1\n\t"
      "bne 1b\n\t"
      "pop {r4-r11, pc}\n\t");
}

/* Both inputs as dense as the output, into the whole int8 range: the
 * assembly. Returns 0 (nothing written) where it does not apply. */
static int mcunet_add_flat(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                           int8_t* output, int32_t count) {
  mcunet_add_job job;
  if (p->act_min != -128 || p->act_max != 127 || count < 1 ||
      !mcunet_add_flat_set(p, &job.t1, &job.t2)) {
    return 0;
  }
  const int32_t eo = -p->output_shift - 2;
  job.in1_end = input1 + count, job.in2_end = input2 + count, job.out_end = output + count;
  job.minus_count = -count;
  job.nudge = 0x40000000, job.multiplier = p->output_multiplier, job.e1 = eo + 1;
  job.zero_point = p->output_offset;
  mcunet_add_asm(&job);
  return 1;
}
#else
/* Both inputs as dense as the output: one flat loop, each input's scaling a
 * multiply-add and a 64-bit multiply-add, the output's
 * mcunet_requantize_down_positive. Returns 0 (nothing written) where a scale
 * is outside what those allow. */
static int mcunet_add_flat(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                           int8_t* output, int32_t count) {
  mcunet_add_term t1, t2;
  if (!mcunet_add_flat_set(p, &t1, &t2)) return 0;
  const int32_t mo = p->output_multiplier, eo = -p->output_shift - 2, round = 1 << eo;
  const int32_t zo = p->output_offset, lo = p->act_min - zo, hi = p->act_max - zo;
  for (int32_t i = 0; i < count; ++i) {
    const int32_t sum = mcunet_add_term_value(input1[i], t1) + mcunet_add_term_value(input2[i], t2);
    const int32_t out = mcunet_requantize_down_positive(sum, mo, eo, round);
    output[i] = (int8_t)(mcunet_clamp_i32(out, lo, hi) + zo);
  }
  return 1;
}
#endif

int mcunet_add_s8(const mcunet_add_params* p, const int8_t* input1, const int8_t* input2,
                  int8_t* output) {
  if (p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0) return MCUNET_BAD_PARAMS;
  const int32_t* dims = p->out_dims;
  const int64_t count = (int64_t)dims[0] * dims[1] * dims[2] * dims[3];
  if (mcunet_add_dense(dims, p->in1_strides) && mcunet_add_dense(dims, p->in2_strides) &&
      count <= INT32_MAX && mcunet_add_flat(p, input1, input2, output, (int32_t)count)) {
    return MCUNET_OK;
  }
  int64_t out_index = 0;
  for (int32_t d0 = 0; d0 < p->out_dims[0]; ++d0) {
    for (int32_t d1 = 0; d1 < p->out_dims[1]; ++d1) {
      for (int32_t d2 = 0; d2 < p->out_dims[2]; ++d2) {
        const int64_t base1 = (int64_t)d0 * p->in1_strides[0] + (int64_t)d1 * p->in1_strides[1] +
                              (int64_t)d2 * p->in1_strides[2];
        const int64_t base2 = (int64_t)d0 * p->in2_strides[0] + (int64_t)d1 * p->in2_strides[1] +
                              (int64_t)d2 * p->in2_strides[2];
        for (int32_t d3 = 0; d3 < p->out_dims[3]; ++d3) {
          const int32_t x1 = input1[base1 + (int64_t)d3 * p->in1_strides[3]] + p->input1_offset;
          const int32_t x2 = input2[base2 + (int64_t)d3 * p->in2_strides[3]] + p->input2_offset;
          const int32_t s1 =
              scale_below_one(x1 * (1 << p->left_shift), p->input1_multiplier, p->input1_shift);
          const int32_t s2 =
              scale_below_one(x2 * (1 << p->left_shift), p->input2_multiplier, p->input2_shift);
          int32_t out =
              scale_below_one(s1 + s2, p->output_multiplier, p->output_shift) + p->output_offset;
          output[out_index++] = (int8_t)mcunet_clamp_i32(out, p->act_min, p->act_max);
        }
      }
    }
  }
  return MCUNET_OK;
}
