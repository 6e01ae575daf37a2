/* DEPTHWISE_CONV_2D int8 with depth multiplier 1 and no dilation, from a
 * filter the code generator stores for DSP cores widened to int16
 * (p->dsp_layout, ops/conv_common.cc, where CompileOptions::flash_for_speed
 * allows): each group of four channels' taps together, a tap's weights in the
 * order (0, 2, 1, 3), so that one LDRD gives a tap's four weights where
 * depthwise_conv_dm1_s8.c loads a word and widens it twice; with layout 2 the
 * multipliers come beside the shifts' complements (one LDRD per channel).
 * Otherwise the same kernel: the window bounded once per output pixel, four
 * channels at a time in assembly, the same sums, so bit-exact, and the same
 * in-place rule. Cores without DSP get the model's filter and run
 * depthwise_conv_dm1_s8.c.
 *
 * mcunet: needs depthwise_conv_dm1_s8.c */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

#if defined(MCUNET_SIMD32) && defined(__GNUC__)
#define MCUNET_DW_ASM 1
/* What mcunet_dw_pixel_asm reads; it copies the fields to its frame in this
 * order. */
typedef struct {
  const int32_t* requant; /* channel 0's (multiplier, ~shift); NULL: store the sums instead */
  int8_t* out;            /* the pixel's channel 0, or the int32 sums */
  int32_t output_offset;  /* zero point */
  int32_t nudge;          /* 0x40000000 */
  int8_t* out_end;        /* out + 4 x groups (bytes or sums) */
  const int8_t* x;        /* the window's first tap (inside the image), channel 0 */
  const int16_t* w;       /* its widened filter tap, group 0 */
  int32_t channels;       /* bytes from one column to the next */
  int32_t offsets;        /* the input offset in both halves */
  const int32_t* bias;
  int32_t rows3; /* rows (1 to 3) of a window 3 wide, 4: no tap (the sums are the bias), else 0 */
  int32_t row_step;   /* bytes from one image row to the next */
  int32_t w_row_step; /* from one filter row to the next (k_w x 8) */
  int32_t rows, cols; /* the window (at least 1 x 1) */
  int32_t x_skip;     /* row_step less cols x channels */
  int32_t w_skip;     /* w_row_step less cols x 8 */
  int32_t w_group;    /* from one group's taps to the next (k_h x k_w x 8) */
} mcunet_dw_job;

/* clang-format off */
/* One tap for four channels: x X, widened taps at W (r5 = channels 0 and 2,
 * r7 = 1 and 3), input offsets r3, sums r8-r11 (channels 0 and 2 from the
 * even bytes, 1 and 3 from the odd ones). */
#define MCUNET_DW_ASM_TAP4(X, W)        \
  "ldr r4, " X "\n\t"                    \
  "ldrd r5, r7, " W "\n\t"               \
  "sxtab16 r6, r3, r4\n\t"              \
  "sxtab16 r4, r3, r4, ror #8\n\t"       \
  "smlabb r8, r6, r5, r8\n\t"          \
  "smlatt r10, r6, r5, r10\n\t"          \
  "smlabb r9, r4, r7, r9\n\t"          \
  "smlatt r11, r4, r7, r11\n\t"
/* A row of a 3-wide window (channel step r2, filter row at r1). */
#define MCUNET_DW_ASM_ROW3                                  \
  MCUNET_DW_ASM_TAP4("[r0]", "[r1]")                        \
  MCUNET_DW_ASM_TAP4("[r0, r2]", "[r1, #8]")                \
  MCUNET_DW_ASM_TAP4("[r0, r2, lsl #1]", "[r1, #16]")

/* Requantises sum S as depthwise_conv_dm1_s8.c's MCUNET_DW_ASM_OUT (nudge by
 * S's sign, SMLAL, the rounding shift's last bit through the carry), its
 * multiplier and ~shift from one pair at r0: output r1, zero point r2,
 * 0x40000000 in r3. */
#define MCUNET_DW_ASM_OUT(S)            \
  "ldrd r4, r5, [r0], #8\n\t"           \
  "asr r6, " S ", #31\n\t"              \
  "orr r7, r3, r6, lsl #31\n\t"       \
  "smlal r7, r6, " S ", r4\n\t"        \
  "asrs r6, r6, r5\n\t"                \
  "adcs r6, r6, r2\n\t"                 \
  "ssat r6, #8, r6\n\t"                \
  "strb r6, [r1], #1\n\t"
/* clang-format on */

/* depthwise_conv_dm1_s8.c's mcunet_dw_pixel_asm over the widened taps (a
 * separate pointer, stepping a group's taps), plus windows wholly in the
 * padding (rows3 = 4: the sums are the bias). Naked: nothing but the assembly. */
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
      "add r12, sp, #20\n\t"
      "ldm r12, {r0-r5, r12, lr}\n\t" /* x, w, cc, offsets, bias, rows3, row steps */
      "ldm r4!, {r8-r11}\n\t"
      "adds r6, r0, #4\n\t"
      "ldr r7, [sp, #68]\n\t"
      "add r7, r7, r1\n\t"
      "strd r6, r7, [sp, #20]\n\t" /* the next group's window */
      "str r4, [sp, #36]\n\t"
      "tbb [pc, r5]\n\t" /* by rows3 */
      "11:\n\t"
      ".byte (5f - 11b) / 2, (4f - 11b) / 2, (3f - 11b) / 2, (2f - 11b) / 2, (6f - 11b) / 2\n\t"
      ".align 1\n\t"
      "5:\n\t" /* any other window: rows of cols taps */
      "ldr lr, [sp, #52]\n\t"
      "9:\n\t"
      "ldr r12, [sp, #56]\n\t"
      "lsrs r12, r12, #1\n\t" /* pairs of taps; an odd one (carry) first */
      "bcc 10f\n\t" MCUNET_DW_ASM_TAP4("[r0]", "[r1], #8")
      "add r0, r0, r2\n\t"
      "beq 12f\n\t" /* no pair (the flags are still LSRS's) */
      "10:\n\t" MCUNET_DW_ASM_TAP4("[r0]", "[r1], #8") MCUNET_DW_ASM_TAP4("[r0, r2]", "[r1], #8")
      "add r0, r0, r2, lsl #1\n\t"
      "subs r12, r12, #1\n\t"
      "bne 10b\n\t"
      "12:\n\t"
      "ldrd r4, r5, [sp, #60]\n\t"
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
      "ldm sp, {r0-r3, r12}\n\t" /* requant, out, zero point, nudge, end */
      "cbnz r0, 7f\n\t"
      "stm r1!, {r8-r11}\n\t"
      "str r1, [sp, #4]\n\t"
      "b 8f\n\t"
      "7:\n\t" MCUNET_DW_ASM_OUT("r8") MCUNET_DW_ASM_OUT("r9") MCUNET_DW_ASM_OUT("r10")
      MCUNET_DW_ASM_OUT("r11")
      "stm sp, {r0, r1}\n\t"
      "8:\n\t"
      "cmp r1, r12\n\t"
      "bne 1b\n\t"
      "add sp, sp, #72\n\t"
      "pop {r4-r11, pc}\n\t");
}

/* Channels summed before any is requantised (a stack array of this many int32). */
#define MCUNET_DW_BLOCK 32

static inline int32_t mcunet_max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
static inline int32_t mcunet_min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

/* The window of one output pixel clipped to the image: taps [ky_lo, ky_hi) x
 * [kx_lo, kx_hi); rows or cols <= 0 when it lies wholly in the padding. */
typedef struct {
  int32_t y, x;   /* its first tap in the image */
  int32_t ky, kx; /* and in the filter */
  int32_t rows, cols;
} mcunet_dw_window;

static inline mcunet_dw_window mcunet_dw_window_at(const mcunet_conv_params* p, int32_t oy,
                                                   int32_t ox) {
  const int32_t y0 = oy * p->stride_h - p->pad_top, x0 = ox * p->stride_w - p->pad_left;
  mcunet_dw_window win;
  win.ky = mcunet_max_i32(0, -y0), win.kx = mcunet_max_i32(0, -x0);
  win.rows = mcunet_min_i32(p->k_h, p->in_h - y0) - win.ky;
  win.cols = mcunet_min_i32(p->k_w, p->in_w - x0) - win.kx;
  win.y = y0 + win.ky, win.x = x0 + win.kx;
  return win;
}

/* Requantises the sums of channels [c0, c0 + n) of one pixel into out. */
static void mcunet_dw_requant_block(const mcunet_conv_params* p, const int32_t* acc, int32_t c0,
                                    int32_t n, int8_t* out) {
  for (int32_t c = c0; c < c0 + n; ++c) {
    out[c] = mcunet_requantize_to_int8(acc[c - c0], p->multiplier[c], p->shift[c], p->output_offset,
                                       p->act_min, p->act_max);
  }
}

/* The DSP cores' path, for the layout the code generator gives them
 * (p->dsp_layout, ops/conv_common.cc): a bias, whole groups of four channels,
 * and the filter widened to int16, each group's taps together, a tap's four
 * weights in the order (0, 2, 1, 3) so that one LDRD gives both halves' pairs.
 * With dsp_layout 2 the requantisation is the assembly's and p->multiplier
 * holds (multiplier, ~shift) pairs; with 1 the sums come back in blocks and
 * are requantised in C from the model's arrays. */
static int mcunet_dw_dsp(const mcunet_conv_params* p, const int8_t* input, const int16_t* filter,
                         const int32_t* bias, int8_t* output) {
  const int32_t c_count = p->in_c, k_w = p->k_w;
  if (!bias || c_count % 4 != 0) return MCUNET_BAD_PARAMS;
  const int requant = p->dsp_layout == 2;
  const int64_t row_step = (int64_t)p->in_w * c_count;
  const int32_t group = p->k_h * k_w * 4; /* int16 values */
  mcunet_dw_job job;
  job.output_offset = p->output_offset, job.nudge = 0x40000000, job.channels = c_count;
  job.offsets = mcunet_dup16(p->input_offset), job.row_step = (int32_t)row_step;
  job.w_row_step = k_w * 8, job.w_group = group * 2;
  /* Straight-line rows for windows 3 wide of filters up to 3 high. */
  const int32_t cols3 = p->k_h <= 3 ? 3 : -1;
  int8_t* out = output;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in_b = input + (int64_t)b * p->in_h * row_step;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      for (int32_t ox = 0; ox < p->out_w; ++ox, out += c_count) {
        const mcunet_dw_window win = mcunet_dw_window_at(p, oy, ox);
        const int8_t* x = in_b;
        const int16_t* w = filter;
        if (win.rows <= 0 || win.cols <= 0) {
          job.rows3 = 4; /* the sums are the bias */
        } else {
          x += win.y * row_step + (int64_t)win.x * c_count;
          w += (win.ky * k_w + win.kx) * 4;
          job.rows3 = win.cols == cols3 ? win.rows : 0, job.rows = win.rows, job.cols = win.cols;
          job.x_skip = (int32_t)(row_step - (int64_t)win.cols * c_count);
          job.w_skip = (k_w - win.cols) * 8;
        }
        if (requant) {
          job.requant = p->multiplier, job.out = out, job.out_end = out + c_count;
          job.x = x, job.w = w, job.bias = bias;
          mcunet_dw_pixel_asm(&job);
          continue;
        }
        job.requant = NULL;
        for (int32_t c0 = 0; c0 < c_count; c0 += MCUNET_DW_BLOCK) {
          const int32_t n = mcunet_min_i32(c_count - c0, MCUNET_DW_BLOCK);
          int32_t acc[MCUNET_DW_BLOCK];
          job.out = (int8_t*)acc, job.out_end = (int8_t*)(acc + n);
          job.x = x + c0, job.w = w + (c0 / 4) * group, job.bias = bias + c0;
          mcunet_dw_pixel_asm(&job);
          mcunet_dw_requant_block(p, acc, c0, n, out);
        }
      }
    }
  }
  return MCUNET_OK;
}
#endif

int mcunet_depthwise_conv2d_dm1_wide_s8(const mcunet_conv_params* p, const int8_t* input,
                                        const int8_t* filter, const int32_t* bias, int8_t* output,
                                        int8_t* scratch) {
#ifdef MCUNET_DW_ASM
  /* The generated C calls this entry only with its widened filter: the other
   * kernel stays out of the link. */
  (void)scratch;
  if (!p->dsp_layout || p->depth_multiplier != 1 || p->out_c != p->in_c || p->dilation_h != 1 ||
      p->dilation_w != 1) {
    return MCUNET_BAD_PARAMS;
  }
  return mcunet_dw_dsp(p, input, (const int16_t*)(const void*)filter, bias, output);
#else
  return mcunet_depthwise_conv2d_dm1_s8(p, input, filter, bias, output, scratch);
#endif
}
