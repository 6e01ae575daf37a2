/* FULLY_CONNECTED int8: out[b][o] = sum_i (w[o][i] + filter_offset) * (x[b][i] + input_offset).
 *
 * With the DSP extension and filter_offset 0 (TFLite's int8 weights), four
 * rows at a time share each word of the input: SXTAB16 widens its even and
 * odd bytes and adds the input offset, SXTB16 widens a row's word likewise,
 * and two SMLADs take its four products: 25 instructions for 16 MACs instead
 * of about 7 a MAC. The sums are the reference's terms in int32: bit-exact. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

#if defined(MCUNET_SIMD32) && defined(__GNUC__)
/* What mcunet_fc_rows4_asm reads (field order: its loads). */
typedef struct {
  const int8_t* x;     /* the input */
  const int8_t* w;     /* row 0; rows 1-3 follow n bytes apart */
  int32_t n;           /* values in a row */
  int32_t offsets;     /* the input offset in both halves */
  const int8_t* x_end; /* x + 4 x groups, groups >= 1 */
  int32_t* acc;        /* the four sums */
} mcunet_fc_job;

/* acc[r] = sum of w[r * n + i] * (x[i] + offset) over the job's groups of four
 * inputs, for rows r = 0..3: 25 instructions a group (the compiler's version
 * spilled). Rows 1 and 3 are read at [row 0 or 2, n] before rows 0 and 2 step. */
__attribute__((naked, noinline)) static void mcunet_fc_rows4_asm(const mcunet_fc_job* job
                                                                 __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "ldr r12, [r0, #20]\n\t"
      "push {r12}\n\t"
      "ldm r0, {r0, r1, r2, r3, r8}\n\t"
      "add lr, r1, r2, lsl #1\n\t"
      "movs r4, #0\n\t"
      "movs r5, #0\n\t"
      "movs r6, #0\n\t"
      "movs r7, #0\n\t"
      "1:\n\t"
      "ldr r11, [r0], #4\n\t"
      "sxtab16 r9, r3, r11\n\t"
      "sxtab16 r10, r3, r11, ror #8\n\t"
      "ldr r11, [r1, r2]\n\t"
      "sxtb16 r12, r11\n\t"
      "sxtb16 r11, r11, ror #8\n\t"
      "smlad r5, r12, r9, r5\n\t"
      "smlad r5, r11, r10, r5\n\t"
      "ldr r11, [r1], #4\n\t"
      "sxtb16 r12, r11\n\t"
      "sxtb16 r11, r11, ror #8\n\t"
      "smlad r4, r12, r9, r4\n\t"
      "smlad r4, r11, r10, r4\n\t"
      "ldr r11, [lr, r2]\n\t"
      "sxtb16 r12, r11\n\t"
      "sxtb16 r11, r11, ror #8\n\t"
      "smlad r7, r12, r9, r7\n\t"
      "smlad r7, r11, r10, r7\n\t"
      "ldr r11, [lr], #4\n\t"
      "sxtb16 r12, r11\n\t"
      "sxtb16 r11, r11, ror #8\n\t"
      "smlad r6, r12, r9, r6\n\t"
      "smlad r6, r11, r10, r6\n\t"
      "cmp r0, r8\n\t"
      "bne 1b\n\t"
      "pop {r12}\n\t"
      "stm r12, {r4-r7}\n\t"
      "pop {r4-r11, pc}\n\t");
}
#endif

int mcunet_fully_connected_s8(const mcunet_fc_params* p, const int8_t* input, const int8_t* filter,
                              const int32_t* bias, int8_t* output) {
  /* Locals: the output's int8 stores could alias *p as far as the compiler knows. */
  const int32_t n = p->in_depth, out_depth = p->out_depth;
  const int32_t input_offset = p->input_offset, filter_offset = p->filter_offset;
#if defined(MCUNET_SIMD32) && defined(__GNUC__)
  const int32_t groups = filter_offset == 0 ? n / 4 : 0, offsets = mcunet_dup16(input_offset);
#endif
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* x = input + (int64_t)b * n;
    int8_t* out = output + (int64_t)b * out_depth;
    for (int32_t o = 0; o < out_depth;) {
      const int8_t* w = filter + (int64_t)o * n;
      int32_t acc[4] = {0, 0, 0, 0}, rows = 1, done = 0; /* done: inputs the assembly took */
#if defined(MCUNET_SIMD32) && defined(__GNUC__)
      if (groups > 0 && out_depth - o >= 4) {
        const mcunet_fc_job job = {x, w, n, offsets, x + 4 * groups, acc};
        mcunet_fc_rows4_asm(&job);
        rows = 4, done = 4 * groups;
      }
#endif
      for (int32_t r = 0; r < rows; ++r, ++o, w += n) { /* the inputs left, requantised */
        int32_t sum = acc[r] + (bias ? bias[o] : 0);
        for (int32_t i = done; i < n; ++i) sum += (w[i] + filter_offset) * (x[i] + input_offset);
        const int32_t q = p->per_channel ? o : 0;
        out[o] = mcunet_requantize_to_int8(sum, p->multiplier[q], p->shift[q], p->output_offset,
                                           p->act_min, p->act_max);
      }
    }
  }
  return MCUNET_OK;
}
