/* DEPTHWISE_CONV_2D int8 with depth multiplier 1 and no dilation (any kernel
 * size, stride and padding): the window's rows and columns inside the image
 * are found once per output pixel instead of per tap and channel, then the
 * channels walk the taps with pointer steps: four at a time with the ARMv7E-M
 * SIMD instructions (SXTAB16 widens the even or odd bytes of a word to int16
 * and adds the input offset; SMLABB / SMLATT multiply-accumulate one half), in
 * assembly that also requantises the four sums where the layer allows, one at
 * a time in portable C. Each channel's sum has the reference kernel's terms,
 * and int32 addition is exact: bit-exact, and the same in-place rule (each
 * output pixel is written while its window is read). */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

#if defined(MCUNET_SIMD32) && defined(__GNUC__)
#define MCUNET_DW_ASM 1
/* What mcunet_dw_pixel_asm reads; it copies the fields to its frame in this
 * order. */
typedef struct {
  const int32_t* multiplier; /* channel 0's; NULL: store the sums instead */
  const int32_t* shift;
  int8_t* out;           /* the pixel's channel 0, or the int32 sums */
  int32_t output_offset; /* zero point */
  int32_t nudge;         /* 0x40000000 */
  int8_t* out_end;       /* out + 4 x groups (bytes or sums) */
  const int8_t* x;       /* the window's first tap (inside the image), channel 0 */
  const int8_t* w;       /* its filter tap */
  int32_t channels;      /* bytes from one column to the next */
  int32_t offsets;       /* the input offset in both halves */
  const int32_t* bias;
  int32_t rows3;      /* rows (1 to 3) of a window 3 wide, else 0 */
  int32_t row_step;   /* bytes from one image row to the next */
  int32_t w_row_step; /* from one filter row to the next */
  int32_t rows, cols; /* the window (at least 1 x 1) */
  int32_t x_skip;     /* row_step less cols x channels */
  int32_t w_skip; /* w_row_step less row_step (the filter's offset from x grows by it per row) */
} mcunet_dw_job;

/* clang-format off */
/* One tap for four channels: x r0, filter r1, input offsets r3, sums r8-r11
 * (channels 0 and 2 from the even bytes, 1 and 3 from the odd ones). */
#define MCUNET_DW_ASM_TAP4(X, W)        \
  "ldr r4, " X "\n\t"                    \
  "ldr r5, " W "\n\t"                    \
  "sxtab16 r6, r3, r4\n\t"              \
  "sxtab16 r4, r3, r4, ror #8\n\t"       \
  "sxtb16 r7, r5\n\t"                   \
  "sxtb16 r5, r5, ror #8\n\t"            \
  "smlabb r8, r6, r7, r8\n\t"          \
  "smlatt r10, r6, r7, r10\n\t"          \
  "smlabb r9, r4, r5, r9\n\t"          \
  "smlatt r11, r4, r5, r11\n\t"
/* A row of a 3-wide window (channel step r2). */
#define MCUNET_DW_ASM_ROW3                                  \
  MCUNET_DW_ASM_TAP4("[r0]", "[r1]")                        \
  MCUNET_DW_ASM_TAP4("[r0, r2]", "[r1, r2]")                \
  MCUNET_DW_ASM_TAP4("[r0, r2, lsl #1]", "[r1, r2, lsl #1]")

/* Requantises sum S (mcunet_requantize_down_positive, its rounding shift done
 * by the carry): multiplier r0, shift r1, output r2, zero point r3, 0x40000000
 * in r12. The SMLAL starts from the nudge +-2^30 of S's sign (a multiplier
 * >= 0 keeps the product's sign); with H its high word and e + 1 = -shift - 1,
 * floor((H + 2^e) / 2^(e + 1)) is H >> (e + 1) plus the last bit shifted out,
 * which ASRS leaves in the carry for ADC to add with the zero point.
 * |H| < 2^30: the sum cannot overflow; SSAT clamps. */
#define MCUNET_DW_ASM_OUT(S)            \
  "ldmia r0!, {r4}\n\t"                  \
  "ldmia r1!, {r5}\n\t"                  \
  "asr r6, " S ", #31\n\t"              \
  "orr r7, r12, r6, lsl #31\n\t"       \
  "smlal r7, r6, " S ", r4\n\t"        \
  "mvns r5, r5\n\t"                       \
  "asrs r6, r6, r5\n\t"                \
  "adcs r6, r6, r3\n\t"                 \
  "ssat r6, #8, r6\n\t"                \
  "strb r6, [r2], #1\n\t"
/* clang-format on */

/* Every group of four channels of one output pixel whose window has at least
 * one tap, with a bias: the sums in registers, then either requantised there
 * (a layer whose shifts are all <= -2, multipliers >= 0 and clamp the full
 * int8 range) or stored as int32 for the caller. A window 3 wide runs
 * straight-line rows (TBB enters at the first of its 1 to 3 rows), any other
 * a loop over its taps. The job (r0) is copied to the frame; each group loads
 * the taps' registers from it with one LDM and the requantisation's with
 * another. Naked: nothing but the assembly. */
__attribute__((naked, noinline)) static void mcunet_dw_pixel_asm(const mcunet_dw_job* job
                                                                 __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "sub sp, sp, #72\n\t"
      "mov r1, sp\n\t"
      "ldm r0!, {r2-r12, lr}\n\t"
      "stm r1!, {r2-r12, lr}\n\t"
      "ldm r0, {r2-r7}\n\t"
      "stm r1, {r2-r7}\n\t"
      "1:\n\t"
      "add r12, sp, #24\n\t"
      "ldm r12, {r0-r5, r12, lr}\n\t" /* x, w, cc, offsets, bias, rows3, row steps */
      "ldm r4!, {r8-r11}\n\t"
      "adds r6, r0, #4\n\t"
      "adds r7, r1, #4\n\t"
      "strd r6, r7, [sp, #24]\n\t" /* the next group's window */
      "str r4, [sp, #40]\n\t"
      "tbb [pc, r5]\n\t" /* by rows3 */
      "11:\n\t"
      ".byte (5f - 11b) / 2, (4f - 11b) / 2, (3f - 11b) / 2, (2f - 11b) / 2\n\t"
      "5:\n\t" /* any other window: rows of cols taps, the filter at r0 + r1 */
      "ldr lr, [sp, #56]\n\t"
      "subs r1, r1, r0\n\t"
      "9:\n\t"
      "ldr r12, [sp, #60]\n\t"
      "10:\n\t" MCUNET_DW_ASM_TAP4("[r0]", "[r0, r1]")
      "add r0, r0, r2\n\t"
      "subs r12, r12, #1\n\t"
      "bne 10b\n\t"
      "ldrd r4, r5, [sp, #64]\n\t"
      "add r0, r0, r4\n\t"
      "add r1, r1, r5\n\t"
      "subs lr, lr, #1\n\t"
      "bne 9b\n\t"
      "b 6f\n\t"
      "2:\n\t" MCUNET_DW_ASM_ROW3
      "add r0, r0, r12\n\t"
      "add r1, r1, lr\n\t"
      "3:\n\t" MCUNET_DW_ASM_ROW3
      "add r0, r0, r12\n\t"
      "add r1, r1, lr\n\t"
      "4:\n\t" MCUNET_DW_ASM_ROW3
      "6:\n\t"
      "ldm sp, {r0-r3, r12, lr}\n\t" /* multiplier, shift, out, zero point, nudge, end */
      "cbnz r0, 7f\n\t"
      "stm r2!, {r8-r11}\n\t"
      "str r2, [sp, #8]\n\t"
      "b 8f\n\t"
      "7:\n\t" MCUNET_DW_ASM_OUT("r8") MCUNET_DW_ASM_OUT("r9") MCUNET_DW_ASM_OUT("r10")
      MCUNET_DW_ASM_OUT("r11")
      "stm sp, {r0-r2}\n\t"
      "8:\n\t"
      "cmp r2, lr\n\t"
      "bne 1b\n\t"
      "add sp, sp, #72\n\t"
      "pop {r4-r11, pc}\n\t");
}
#endif

/* Channels summed before any is requantised (a stack array of this many int32). */
#define MCUNET_DW_BLOCK 32

static inline int32_t mcunet_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mcunet_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/* The window of one output pixel clipped to the image: taps [ky_lo, ky_hi) x
 * [kx_lo, kx_hi), starting at `in` (input) and `w` (filter), channel 0. */
typedef struct {
  const int8_t* in;
  const int8_t* w;
  int32_t rows, cols;
} mcunet_dw_window;

int mcunet_depthwise_conv2d_dm1_s8(const mcunet_conv_params* p, const int8_t* input,
                                   const int8_t* filter, const int32_t* bias, int8_t* output,
                                   int8_t* scratch) {
  (void)scratch;
  if (p->depth_multiplier != 1 || p->out_c != p->in_c || p->dilation_h != 1 || p->dilation_w != 1) {
    return MCUNET_BAD_PARAMS;
  }
  /* Locals, not p->...: int8 stores could alias *p as far as the compiler knows. */
  const int32_t c_count = p->in_c, offset = p->input_offset;
  const int32_t out_offset = p->output_offset, lo = p->act_min, hi = p->act_max;
  const int32_t* const mult = p->multiplier;
  const int32_t* const shift = p->shift;
  const int32_t in_h = p->in_h, in_w = p->in_w, k_h = p->k_h, k_w = p->k_w;
  const int64_t row_step = (int64_t)in_w * c_count, w_row_step = (int64_t)k_w * c_count;
  /* Every shift <= -2 (the usual case): one short requantisation loop. */
  const int down = mcunet_all_shifts_down(shift, c_count);
#ifdef MCUNET_DW_ASM
  /* The assembly requantises when every channel allows it, else it leaves the
   * sums of each block to the loops below. */
  int requant = down && lo == -128 && hi == 127;
  for (int32_t c = 0; requant && c < c_count; ++c) requant = mult[c] >= 0;
  /* The fields that change per pixel are set before each call. */
  mcunet_dw_job job;
  job.multiplier = requant ? mult : NULL, job.shift = shift, job.output_offset = out_offset;
  job.nudge = 0x40000000, job.channels = c_count, job.offsets = mcunet_dup16(offset);
  job.bias = bias, job.row_step = (int32_t)row_step, job.w_row_step = (int32_t)w_row_step;
  job.w_skip = (int32_t)(w_row_step - row_step);
  /* Straight-line rows for windows 3 wide of filters up to 3 high. */
  const int32_t cols3 = k_h <= 3 ? 3 : -1;
#endif
  int8_t* out = output;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in_b = input + (int64_t)b * in_h * row_step;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      const int32_t y0 = oy * p->stride_h - p->pad_top;
      const int32_t ky_lo = mcunet_max_i32(0, -y0), ky_hi = mcunet_min_i32(k_h, in_h - y0);
      for (int32_t ox = 0; ox < p->out_w; ++ox, out += c_count) {
        const int32_t x0 = ox * p->stride_w - p->pad_left;
        const int32_t kx_lo = mcunet_max_i32(0, -x0), kx_hi = mcunet_min_i32(k_w, in_w - x0);
        mcunet_dw_window win = {in_b, filter, ky_hi - ky_lo, kx_hi - kx_lo};
        /* A window wholly in the padding reads nothing (its sums are the bias). */
        if (win.rows <= 0 || win.cols <= 0) {
          win.rows = win.cols = 0;
        } else {
          win.in = in_b + (y0 + ky_lo) * row_step + (int64_t)(x0 + kx_lo) * c_count;
          win.w = filter + ((int64_t)ky_lo * k_w + kx_lo) * c_count;
        }
        const int64_t x_skip = row_step - (int64_t)win.cols * c_count;
        const int64_t w_skip = w_row_step - (int64_t)win.cols * c_count;
        int32_t c_first = 0;
#ifdef MCUNET_DW_ASM
        /* Whole groups of four channels in assembly (with a bias). */
        const int32_t groups = bias && win.rows > 0 ? c_count & ~3 : 0;
        job.rows3 = win.cols == cols3 ? win.rows : 0, job.rows = win.rows, job.cols = win.cols;
        job.x_skip = (int32_t)x_skip;
        if (requant && groups) {
          job.out = out, job.out_end = out + groups, job.x = win.in, job.w = win.w;
          mcunet_dw_pixel_asm(&job);
          c_first = groups;
        }
#endif
        /* Channels in blocks: first every sum of the block, then every
         * requantisation, so that neither loop holds the other's state in
         * registers. */
        for (int32_t c0 = c_first; c0 < c_count; c0 += MCUNET_DW_BLOCK) {
          const int32_t c_end = mcunet_min_i32(c_count, c0 + MCUNET_DW_BLOCK);
          int32_t acc[MCUNET_DW_BLOCK];
          int32_t c = c0;
#ifdef MCUNET_DW_ASM
          if (c0 < groups) {
            c = mcunet_min_i32(c_end, groups);
            job.out = (int8_t*)acc, job.out_end = (int8_t*)(acc + (c - c0));
            job.x = win.in + c0, job.w = win.w + c0, job.bias = bias + c0;
            mcunet_dw_pixel_asm(&job);
          }
#endif
          for (; c < c_end; ++c) {
            int32_t sum = bias ? bias[c] : 0;
            const int8_t* x = win.in + c;
            const int8_t* w = win.w + c;
            for (int32_t r = 0; r < win.rows; ++r, x += x_skip, w += w_skip) {
              for (int32_t k = 0; k < win.cols; ++k, x += c_count, w += c_count) {
                sum += w[0] * (x[0] + offset);
              }
            }
            acc[c - c0] = sum;
          }
#ifndef MCUNET_DW_ASM /* with the assembly, only tails and rare layers: one loop (code size) */
          if (down) {
            for (c = c0; c < c_end; ++c) {
              const int32_t v = mcunet_requantize_down_fast(acc[c - c0], mult[c], -shift[c] - 2);
              out[c] = (int8_t)(mcunet_clamp_i32(v, lo - out_offset, hi - out_offset) + out_offset);
            }
          } else
#endif
          {
            for (c = c0; c < c_end; ++c) {
              out[c] =
                  mcunet_requantize_to_int8(acc[c - c0], mult[c], shift[c], out_offset, lo, hi);
            }
          }
        }
      }
    }
  }
  return MCUNET_OK;
}
