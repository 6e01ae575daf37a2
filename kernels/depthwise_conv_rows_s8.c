/* DEPTHWISE_CONV_2D int8, depth multiplier 1, stride 1, no dilation, one
 * channel at a time (TinyEngine's order): the channel's filter, bias and requantisation stay
 * in registers while its output plane is computed, instead of being reloaded
 * for every pixel.
 *
 * The scratch holds padded lines of the channel: a ring of k_h rows (each
 * input row copied once, when the first output row needs it), or, on maps
 * whose rows are too short for a row's set-up to pay (kws' 25 x 5), the whole
 * plane by columns, the window's taps transposed to match. Padding is the input zero
 * point, so every window is whole: no clipping, and the input offset moves out
 * of the loop into the bias (sum w (x + off) = sum w x + off sum w, exact in
 * int32). The result is the reference kernel's, bit for bit.
 *
 * In place: output channel c is written only after the lines it reads of input
 * channel c are in the scratch (by columns: all of them, as the output's
 * columns overlap the input's rows), and it never touches another channel's bytes when
 * the output starts a multiple of in_c bytes from the input; the compiler uses
 * this variant only then (or with separate buffers), and the pixel-order rule
 * of depthwise_conv_dm1_s8.c, which reads less eagerly, bounds the distance. */
#include <string.h>

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

/* Outputs accumulated before a requantisation pass (a stack array of int32). */
#define MCUNET_DW_ROWS_TILE 48

/* Window sums (without bias) of `n` outputs along one output row: filter taps
 * `w` (k_h x k_w), ring rows `rows`, from padded column x0. */
static void mcunet_dw_rows_sums(const int8_t* const* rows, const int16_t* w, int32_t k_h,
                                int32_t k_w, int32_t stride, int32_t x0, int32_t n, int32_t* acc) {
  for (int32_t i = 0; i < n; ++i) acc[i] = 0;
  for (int32_t ky = 0; ky < k_h; ++ky) {
    const int16_t* wr = w + ky * k_w;
    const int8_t* r = rows[ky] + x0;
    for (int32_t i = 0; i < n; ++i, r += stride) {
      int32_t sum = 0;
      for (int32_t kx = 0; kx < k_w; ++kx) sum += wr[kx] * r[kx];
      acc[i] += sum;
    }
  }
}

#ifdef MCUNET_SIMD32
/* The same plus `base` for a 3 x 3 window with the dual 16-bit MACs, the
 * three rows' sums in registers. One word of a row (bytes b0..b3) widened twice gives
 * e = (b0, b2) and o = (b1, b3); with w02 = (w0, w2) and w1 in a half, the
 * output at x is e.w02 + o.lo w1 and the one at x + 1 is
 * o.w02 + e.hi w1. `w1_01` holds rows 0 and 1's middle taps, `w1_2` row 2's. */
static void mcunet_dw_rows_sums3x3(const int8_t* const* rows, const int32_t* w02, int32_t w1_01,
                                   int32_t w1_2, int32_t x0, int32_t n, int32_t base,
                                   int32_t* acc) {
  const int8_t* r = rows[0] + x0;
  const int32_t d1 = (int32_t)(rows[1] - rows[0]), d2 = (int32_t)(rows[2] - rows[0]);
  const int32_t a0 = w02[0], a1 = w02[1], a2 = w02[2];
  int32_t* const end = acc + n;
  for (; acc + 2 <= end; acc += 2, r += 2) {
    int32_t v = mcunet_load_i32(r), e = __sxtb16(v);
    v = mcunet_sxtb16_ror8(v);
    int32_t s0 = __smlabb(v, w1_01, __smlad(e, a0, base));
    int32_t s1 = __smlatb(e, w1_01, __smlad(v, a0, base));
    v = mcunet_load_i32(r + d1), e = __sxtb16(v);
    v = mcunet_sxtb16_ror8(v);
    s0 = __smlabt(v, w1_01, __smlad(e, a1, s0));
    s1 = __smlatt(e, w1_01, __smlad(v, a1, s1));
    v = mcunet_load_i32(r + d2), e = __sxtb16(v);
    v = mcunet_sxtb16_ror8(v);
    acc[0] = __smlabb(v, w1_2, __smlad(e, a2, s0));
    acc[1] = __smlatb(e, w1_2, __smlad(v, a2, s1));
  }
  if (acc < end) { /* an odd last output */
    const int32_t v0 = mcunet_load_i32(r), v1 = mcunet_load_i32(r + d1);
    const int32_t v2 = mcunet_load_i32(r + d2);
    int32_t s = __smlabb(mcunet_sxtb16_ror8(v0), w1_01, __smlad(__sxtb16(v0), a0, base));
    s = __smlabt(mcunet_sxtb16_ror8(v1), w1_01, __smlad(__sxtb16(v1), a1, s));
    *acc = __smlabb(mcunet_sxtb16_ror8(v2), w1_2, __smlad(__sxtb16(v2), a2, s));
  }
}

/* One filter row 5 or 7 wide for the SIMD paths: taps a = (w0, w2),
 * b = (w1, w3), c = (w4, w6) (w6 = 0 when 5 wide), d = w5 in the low half (7
 * wide), and where the line's ring row starts (p, p + 4, and p + 5 in d's place
 * when 5 wide), set per line, so that the assembly loads a row's all in one. */
typedef struct {
  int32_t a, b, c, d;
  const int8_t *p, *p4;
} mcunet_dw_row_taps;

/* clang-format off */
/* One filter row of a 7 wide window (table row: r2 = a, r3 = b, r4 = c,
 * r5 = d, r6 = p, r7 = p + 4) into the sums of the outputs at byte x = r1 and
 * x + 1: s0 = r9 from A0, s1 = r10 from A1. Bytes b0..b7 from x widened to
 * e0 = (b0, b2), o0 = (b1, b3), e1 = (b4, b6), o1 = (b5, b7): s0 gets
 * e0.a + o0.b + e1.c + b5 w5, s1 o0.a + b2 w1 + b4 w3 + o1.c + b6 w5. */
#define MCUNET_DW_ROW7(A0, A1)         \
  "ldm r0!, {r2-r7}\n\t"               \
  "ldr r6, [r6, r1]\n\t"               \
  "ldr r7, [r7, r1]\n\t"               \
  "sxtb16 r8, r6\n\t"                  \
  "sxtb16 r6, r6, ror #8\n\t"          \
  "smlad r9, r8, r2, " A0 "\n\t"       \
  "smlatb r10, r8, r3, " A1 "\n\t"     \
  "smlad r9, r6, r3, r9\n\t"           \
  "smlad r10, r6, r2, r10\n\t"         \
  "sxtb16 r8, r7\n\t"                  \
  "sxtb16 r7, r7, ror #8\n\t"          \
  "smlabt r10, r8, r3, r10\n\t"        \
  "smlad r9, r8, r4, r9\n\t"           \
  "smlatb r10, r8, r5, r10\n\t"        \
  "smlabb r9, r7, r5, r9\n\t"          \
  "smlad r10, r7, r4, r10\n\t"
/* The same 5 wide (r5 = p + 5): b4 and b5 loaded as bytes, no widening;
 * s0 gets e0.a + o0.b + b4 w4, s1 o0.a + b2 w1 + b4 w3 + b5 w4. */
#define MCUNET_DW_ROW5(A0, A1)         \
  "ldm r0!, {r2-r7}\n\t"               \
  "ldr r6, [r6, r1]\n\t"               \
  "ldrsb r7, [r7, r1]\n\t"             \
  "ldrsb r5, [r5, r1]\n\t"             \
  "sxtb16 r8, r6\n\t"                  \
  "sxtb16 r6, r6, ror #8\n\t"          \
  "smlad r9, r8, r2, " A0 "\n\t"       \
  "smlatb r10, r8, r3, " A1 "\n\t"     \
  "smlad r9, r6, r3, r9\n\t"           \
  "smlad r10, r6, r2, r10\n\t"         \
  "smlabb r9, r7, r4, r9\n\t"          \
  "smlabt r10, r7, r3, r10\n\t"        \
  "smlabb r10, r5, r4, r10\n\t"
/* The pair loop around K rows (ROW): the first row starts both sums from the
 * bias (r11), then the table pointer goes back, the pair is stored (r12) and
 * x advances to the end (lr). */
#define MCUNET_DW_WIDE_BODY(ROW, ROWS_MORE, TABLE_BYTES) \
  "push {r4-r11, lr}\n\t"                                \
  "ldm r0, {r0, r1, r11, r12, lr}\n\t"                   \
  "1:\n\t"                                               \
  ROW("r11", "r11") ROWS_MORE                            \
  "sub r0, r0, #" TABLE_BYTES "\n\t"                     \
  "strd r9, r10, [r12], #8\n\t"                          \
  "adds r1, r1, #2\n\t"                                  \
  "cmp r1, lr\n\t"                                       \
  "blt 1b\n\t"                                           \
  "pop {r4-r11, pc}\n\t"
/* clang-format on */

/* What the stride 1 assembly below takes (field order: its LDM's). */
typedef struct {
  const mcunet_dw_row_taps* table; /* k_h rows, p and p4 set for the line */
  int32_t x;                       /* first output's byte (= index) along the line */
  int32_t base;                    /* every sum starts here */
  int32_t* acc;                    /* sums out, a pair at a time */
  int32_t x_end;                   /* past the last output (odd: one more is computed) */
} mcunet_dw_wide_job;

/* Window sums plus base of a stride 1 line 7 (5) wide, two outputs at a time,
 * all k_h = 7 (5) filter rows' products in registers before a pair is stored.
 * An odd count computes one output more, whose reads stay within the ring row's
 * slack (its window ends 2 bytes past the padded line). In assembly because the
 * pair needs 14 registers; the compiler spilled. Naked: nothing but the
 * assembly. */
__attribute__((naked, noinline)) static void mcunet_dw_wide7_asm(const mcunet_dw_wide_job* job
                                                                 __attribute__((unused))) {
  __asm__ volatile(MCUNET_DW_WIDE_BODY(
      MCUNET_DW_ROW7,
      MCUNET_DW_ROW7("r9", "r10") MCUNET_DW_ROW7("r9", "r10") MCUNET_DW_ROW7("r9", "r10")
          MCUNET_DW_ROW7("r9", "r10") MCUNET_DW_ROW7("r9", "r10") MCUNET_DW_ROW7("r9", "r10"),
      "168"));
}
__attribute__((naked, noinline)) static void mcunet_dw_wide5_asm(const mcunet_dw_wide_job* job
                                                                 __attribute__((unused))) {
  __asm__ volatile(MCUNET_DW_WIDE_BODY(MCUNET_DW_ROW5,
                                       MCUNET_DW_ROW5("r9", "r10") MCUNET_DW_ROW5("r9", "r10")
                                           MCUNET_DW_ROW5("r9", "r10") MCUNET_DW_ROW5("r9", "r10"),
                                       "120"));
}

/* What the requantisation below takes (field order: its LDM's). */
typedef struct {
  const int32_t* acc; /* sums with the bias */
  int32_t n;          /* outputs, >= 1 */
  int8_t* out;
  int32_t out_elem;                   /* bytes between outputs */
  int32_t nudge, mult, q, out_offset; /* 2^30, multiplier > 0, e + 1 */
} mcunet_dw_requant_job;

/* clang-format off */
/* mcunet_requantize_down_positive of S (r5 = 2^30, r6 = multiplier, r7 = e + 1)
 * plus the zero point r8, saturated to int8 in HI (LO: a scratch register); the
 * rounding shift's last bit goes through the carry (MCUNET_TRIPLES_OUT). */
#define MCUNET_DW_REQUANT(S, LO, HI)       \
  "asr " HI ", " S ", #31\n\t"             \
  "orr " LO ", r5, " HI ", lsl #31\n\t"    \
  "smlal " LO ", " HI ", " S ", r6\n\t"    \
  "asrs " HI ", " HI ", r7\n\t"            \
  "adcs " HI ", " HI ", r8\n\t"            \
  "ssat " HI ", #8, " HI "\n\t"
/* clang-format on */

/* What mcunet_dw_line3_asm reads: the first 12 words become its frame (the
 * taps and base in the order of one LDM, the requantisation's in another's). */
typedef struct {
  int32_t a0, a1, a2, w1_01, w1_2, base; /* mcunet_dw_rows_sums3x3's taps, bias */
  int32_t out_elem;                      /* bytes between outputs */
  int32_t nudge, mult, e1, out_offset;   /* 2^30, multiplier > 0, e + 1 */
  int8_t* out_end;                       /* past the line's last output */
  const int8_t* r;                       /* row 0 of the first window */
  int32_t d1, d2;                        /* rows 1 and 2 from row 0 */
  int8_t* out;
  int32_t odd; /* the count is odd: the first pair stores its first output only */
} mcunet_dw_line3_job;

/* clang-format off */
/* The window sums of the outputs at r0 and r0 + 1 (mcunet_dw_rows_sums3x3's
 * pair, registers r3-r8 as the frame's first six words) into r9 and r10, then
 * the output step and MCUNET_DW_REQUANT's registers into r4-r8. */
#define MCUNET_DW_LINE3_SUMS            \
  "ldr r11, [r0]\n\t"                   \
  "sxtb16 r12, r11\n\t"                 \
  "sxtb16 r11, r11, ror #8\n\t"         \
  "smlad r9, r12, r3, r8\n\t"           \
  "smlabb r9, r11, r6, r9\n\t"          \
  "smlad r10, r11, r3, r8\n\t"          \
  "smlatb r10, r12, r6, r10\n\t"        \
  "ldr r11, [r0, r1]\n\t"               \
  "sxtb16 r12, r11\n\t"                 \
  "sxtb16 r11, r11, ror #8\n\t"         \
  "smlad r9, r12, r4, r9\n\t"           \
  "smlabt r9, r11, r6, r9\n\t"          \
  "smlad r10, r11, r4, r10\n\t"         \
  "smlatt r10, r12, r6, r10\n\t"        \
  "ldr r11, [r0, r2]\n\t"               \
  "sxtb16 r12, r11\n\t"                 \
  "sxtb16 r11, r11, ror #8\n\t"         \
  "smlad r9, r12, r5, r9\n\t"           \
  "smlabb r9, r11, r7, r9\n\t"          \
  "smlad r10, r11, r5, r10\n\t"         \
  "smlatb r10, r12, r7, r10\n\t"        \
  "add r4, sp, #24\n\t"                 \
  "ldm r4, {r4-r8}\n\t"
/* clang-format on */

/* A whole stride 1 line of a 3 x 3 window with the short requantisation:
 * pairs of window sums in registers, requantised (MCUNET_DW_REQUANT, the
 * requantisation's registers loaded over the taps' and the taps' back) and
 * stored without a round trip through memory; an odd count's first pair
 * stores one output. Naked: nothing but the assembly. */
__attribute__((naked, noinline)) static void mcunet_dw_line3_asm(const mcunet_dw_line3_job* job
                                                                 __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "ldm r0!, {r1-r12}\n\t"
      "push {r1-r12}\n\t"
      "ldm r0, {r0, r1, r2, r12, lr}\n\t" /* r, d1, d2, out, odd */
      "ldm sp, {r3-r8}\n\t"
      "cmp lr, #0\n\t"
      "mov lr, r12\n\t"
      "beq 2f\n\t" MCUNET_DW_LINE3_SUMS MCUNET_DW_REQUANT("r9", "r12", "r11")
      "strb r11, [lr]\n\t"
      "add lr, lr, r4\n\t"
      "add r0, r0, #1\n\t"
      "ldm sp, {r3-r8}\n\t"
      "ldr r11, [sp, #44]\n\t"
      "cmp lr, r11\n\t"
      "beq 3f\n\t"
      "2:\n\t" MCUNET_DW_LINE3_SUMS MCUNET_DW_REQUANT("r9", "r12", "r11")
      MCUNET_DW_REQUANT("r10", "r12", "r9")
      "strb r11, [lr]\n\t"
      "strb r9, [lr, r4]\n\t"
      "add lr, lr, r4, lsl #1\n\t"
      "add r0, r0, #2\n\t"
      "ldm sp, {r3-r8}\n\t"
      "ldr r11, [sp, #44]\n\t"
      "cmp lr, r11\n\t"
      "bne 2b\n\t"
      "3:\n\t"
      "add sp, sp, #48\n\t"
      "pop {r4-r11, pc}\n\t");
}

/* A tile's outputs with the short requantisation (a positive multiplier,
 * shift <= -2, the whole int8 range): an odd one first, then pairs of sums
 * loaded in one. |sum| < 2^30, so adding the zero point cannot overflow. */
__attribute__((naked, noinline)) static void mcunet_dw_requant_asm(const mcunet_dw_requant_job* job
                                                                   __attribute__((unused))) {
  __asm__ volatile(
      "push {r4-r11, lr}\n\t"
      "ldm r0, {r1-r8}\n\t"
      "tst r2, #1\n\t"
      "beq 2f\n\t"
      "ldr r9, [r1], #4\n\t" MCUNET_DW_REQUANT("r9", "r11", "r12") "strb r12, [r3]\n\t"
      "add r3, r3, r4\n\t"
      "subs r2, r2, #1\n\t"
      "beq 3f\n\t"
      "2:\n\t"
      "ldrd r9, r10, [r1], #8\n\t" MCUNET_DW_REQUANT("r9", "r11", "r12") MCUNET_DW_REQUANT(
          "r10", "r11", "lr") "strb r12, [r3]\n\t"
      "strb lr, [r3, r4]\n\t"
      "add r3, r3, r4, lsl #1\n\t"
      "subs r2, r2, #2\n\t"
      "bne 2b\n\t"
      "3:\n\t"
      "pop {r4-r11, pc}\n\t");
}

#endif

/* How one channel's plane is walked: along rows, or along columns (the plane
 * stored transposed). "Lines" are what the scratch holds, "across" the other
 * direction; set once per layer. */
typedef struct {
  const mcunet_conv_params* p;
  const int8_t* in_b; /* the batch's input */
  int8_t* lines;      /* lines_held lines of line_bytes, pad columns already written */
  int32_t lines_held, line_bytes, by_columns; /* by columns: the whole plane */
  int32_t out_lines, out_len; /* output lines and outputs per line */
  int32_t k_across, k_along, s_across, s_along, pad_across, pad_along;
  int32_t img_lines, copy_len; /* image lines; image elements a line holds */
  int64_t img_line, img_elem;  /* bytes between image lines and elements */
  int64_t out_line, out_elem;  /* bytes between output lines and outputs */
  int8_t pad;
} mcunet_dw_view;

/* Line `dst` (from its first image element) gets image line `iy` of channel
 * `c`, or the padding value where iy is outside the image. */
static void mcunet_dw_line_fill(const mcunet_dw_view* v, int8_t* dst, int32_t iy, int32_t c) {
  const int32_t n = v->copy_len;
  if (iy < 0 || iy >= v->img_lines) {
    memset(dst, v->pad, (size_t)n);
    return;
  }
  const int64_t step = v->img_elem;
  const int8_t* src = v->in_b + iy * v->img_line + c;
  int32_t x = 0;
  for (; x + 4 <= n; x += 4, src += 4 * step) {
    dst[x] = src[0];
    dst[x + 1] = src[step];
    dst[x + 2] = src[2 * step];
    dst[x + 3] = src[3 * step];
  }
  for (; x < n; ++x, src += step) dst[x] = src[0];
}

/* What one channel's lines need, set once per channel. */
typedef struct {
  union { /* one or the other: the stack is part of the SRAM budget */
    int16_t w[MCUNET_DW_ROWS_MAX_K * MCUNET_DW_ROWS_MAX_K]; /* taps, k_across x k_along */
#ifdef MCUNET_SIMD32
    mcunet_dw_row_taps rows[MCUNET_DW_ROWS_MAX_K]; /* 5 or 7 along, packed (SIMD) */
#endif
  } u;
  int32_t w02[3], w1_01, w1_2;                            /* 3 x 3 taps packed (SIMD) */
  int32_t base;                                           /* bias + input offset x sum of taps */
  int32_t mult, shift, e, round;
} mcunet_dw_channel;

/* Kept out of line: inlined into the channel loop, the loop's many live values
 * made the compiler spill around every row (measured on Cortex-M7). */
#if defined(__GNUC__)
#define MCUNET_DW_OUT_OF_LINE __attribute__((noinline))
#else
#define MCUNET_DW_OUT_OF_LINE
#endif

/* Every output line of channel c: lines enter the scratch when the first
 * output line needs them, then the line's window sums in tiles and their
 * requantisation. One call per channel, so that its set-up is paid per
 * channel, not per line. */
static MCUNET_DW_OUT_OF_LINE void mcunet_dw_rows_channel(const mcunet_dw_view* v,
                                                         mcunet_dw_channel* ch, int32_t c,
                                                         int8_t* out) {
  const mcunet_conv_params* p = v->p;
  const int32_t out_len = v->out_len, sw = v->s_along, k_h = v->k_across, k_w = v->k_along;
  const int32_t held = v->lines_held, line_bytes = v->line_bytes;
  const int64_t out_elem = v->out_elem, out_skip = v->out_line - out_len * v->out_elem;
  const int32_t out_offset = p->output_offset, lo = p->act_min, hi = p->act_max;
  const int32_t base = ch->base, mult = ch->mult, e = ch->e, round = ch->round;
  const int down = ch->shift <= -2;
#ifdef MCUNET_SIMD32
  const int simd3x3 = k_h == 3 && k_w == 3 && sw == 1;
  /* Stride 1 windows 5 or 7 square (k_h fixed: the assembly is unrolled). */
  const int wide1 = sw == 1 && (k_w == 5 || k_w == 7) && k_h == k_w;
  const int short_requant = down && lo == -128 && hi == 127 && mult > 0;
  /* A 3 x 3 line whole in assembly: the job's per-line fields set per line. */
  mcunet_dw_line3_job line3 = {
      ch->w02[0], ch->w02[1], ch->w02[2], ch->w1_01,  ch->w1_2, base, (int32_t)out_elem,
      0x40000000, mult,       e + 1,      out_offset, NULL,     NULL, 0,
      0,          NULL,       out_len & 1};
#endif
  const int8_t* rows[MCUNET_DW_ROWS_MAX_K];
  int32_t loaded = 0;   /* padded lines [0, loaded) have been through the scratch */
  int32_t slot = 0;     /* where line `loaded` goes */
  if (v->by_columns) {  /* every line before any output: see "In place" */
    for (; loaded < held; ++loaded, ++slot) {
      /* Lines of padding keep what the layer's set-up wrote: the plane gives
       * each line its own slot. */
      const int32_t iy = loaded - v->pad_across;
      if (iy >= 0 && iy < v->img_lines) {
        mcunet_dw_line_fill(v, v->lines + slot * line_bytes + v->pad_along, iy, c);
      }
    }
#ifdef MCUNET_SIMD32
    if (simd3x3 && short_requant) { /* stride 1: output line oy starts at line oy */
      line3.d1 = line_bytes, line3.d2 = 2 * line_bytes;
      const int8_t* r = v->lines;
      for (int32_t oy = 0; oy < v->out_lines; ++oy, r += line_bytes, out += out_skip) {
        line3.r = r, line3.out = out, out += out_len * out_elem, line3.out_end = out;
        mcunet_dw_line3_asm(&line3);
      }
      return;
    }
#endif
  }
  for (int32_t oy = 0, top = 0; oy < v->out_lines; ++oy, top += v->s_across, out += out_skip) {
    for (; loaded < top; ++loaded) { /* lines a stride above k_h skips */
      if (++slot == held) slot = 0;
    }
    for (; loaded < top + k_h; ++loaded) {
      mcunet_dw_line_fill(v, v->lines + slot * line_bytes + v->pad_along, loaded - v->pad_across,
                          c);
      if (++slot == held) slot = 0;
    }
    /* Line `top` sits k_h slots before `slot` in the ring; the plane holds
     * every line in order. */
    int32_t first = slot - k_h < 0 ? slot - k_h + held : slot - k_h;
    if (v->by_columns) first = top;
    const int8_t* const ring_end = v->lines + held * line_bytes;
    const int8_t* r = v->lines + first * line_bytes;
#ifdef MCUNET_SIMD32
    if (wide1) { /* straight into the assembly's table */
      for (int32_t ky = 0; ky < k_h; ++ky) {
        ch->u.rows[ky].p = r, ch->u.rows[ky].p4 = r + 4;
        if (k_w == 5) ch->u.rows[ky].d = (int32_t)(intptr_t)(r + 5);
        r += line_bytes;
        if (r == ring_end) r = v->lines;
      }
    } else
#endif
    {
      for (int32_t ky = 0; ky < k_h; ++ky) {
        rows[ky] = r;
        r += line_bytes;
        if (r == ring_end) r = v->lines;
      }
    }
#ifdef MCUNET_SIMD32
    if (simd3x3 && short_requant) {
      line3.r = rows[0], line3.d1 = (int32_t)(rows[1] - rows[0]);
      line3.d2 = (int32_t)(rows[2] - rows[0]);
      line3.out = out, out += out_len * out_elem, line3.out_end = out;
      mcunet_dw_line3_asm(&line3);
      continue;
    }
#endif
    for (int32_t x0 = 0; x0 < out_len; x0 += MCUNET_DW_ROWS_TILE) {
      const int32_t n = out_len - x0 < MCUNET_DW_ROWS_TILE ? out_len - x0 : MCUNET_DW_ROWS_TILE;
      int32_t acc[MCUNET_DW_ROWS_TILE];
      int32_t add = 0; /* what the sums lack of the bias */
#ifdef MCUNET_SIMD32
      if (simd3x3) {
        mcunet_dw_rows_sums3x3(rows, ch->w02, ch->w1_01, ch->w1_2, x0, n, base, acc);
      } else if (wide1) {
        const mcunet_dw_wide_job job = {ch->u.rows, x0, base, acc, x0 + n};
        if (k_w == 7) {
          mcunet_dw_wide7_asm(&job);
        } else {
          mcunet_dw_wide5_asm(&job);
        }
      } else
#endif
      {
        mcunet_dw_rows_sums(rows, ch->u.w, k_h, k_w, sw, x0 * sw, n, acc);
        add = base;
      }
#ifdef MCUNET_SIMD32
      if (short_requant && add == 0) {
        const mcunet_dw_requant_job job = {acc,        n,    out,   (int32_t)out_elem,
                                           0x40000000, mult, e + 1, out_offset};
        mcunet_dw_requant_asm(&job);
        out += n * out_elem;
        continue;
      }
#endif
      if (down && mult > 0) {
        for (int32_t i = 0; i < n; ++i, out += out_elem) {
          const int32_t r = mcunet_requantize_down_positive(acc[i] + add, mult, e, round);
          *out = (int8_t)(mcunet_clamp_i32(r, lo - out_offset, hi - out_offset) + out_offset);
        }
      } else if (down) {
        for (int32_t i = 0; i < n; ++i, out += out_elem) {
          const int32_t r = mcunet_requantize_down_fast(acc[i] + add, mult, e);
          *out = (int8_t)(mcunet_clamp_i32(r, lo - out_offset, hi - out_offset) + out_offset);
        }
      } else {
        for (int32_t i = 0; i < n; ++i, out += out_elem) {
          *out = mcunet_requantize_to_int8(acc[i] + add, mult, ch->shift, out_offset, lo, hi);
        }
      }
    }
  }
}

/* Channel c's taps in the view's orientation (transposed when by columns),
 * their sum and requantisation. */
static void mcunet_dw_channel_set(const mcunet_dw_view* v, const int8_t* filter,
                                  const int32_t* bias, int32_t c, mcunet_dw_channel* ch) {
  const mcunet_conv_params* p = v->p;
  const int32_t k_h = v->k_across, k_w = v->k_along, cc = p->in_c;
  /* Filter index of tap (ky, kx) in the view's orientation. */
  const int32_t step_y = v->by_columns ? 1 : p->k_w, step_x = v->by_columns ? p->k_w : 1;
  const int8_t* f = filter + c;
#define MCUNET_DW_TAP(KY, KX) f[((int64_t)(KY)*step_y + (int64_t)(KX)*step_x) * cc]
  int32_t sum = 0;
  for (int32_t ky = 0; ky < k_h; ++ky) {
    for (int32_t kx = 0; kx < k_w; ++kx) {
      ch->u.w[ky * k_w + kx] = MCUNET_DW_TAP(ky, kx);
      sum += ch->u.w[ky * k_w + kx];
    }
  }
  if (k_h == 3 && k_w == 3) {
    const int16_t* w = ch->u.w;
    for (int32_t ky = 0; ky < 3; ++ky) {
      ch->w02[ky] = (int32_t)(((uint32_t)w[ky * 3 + 2] << 16) | (uint16_t)w[ky * 3]);
    }
    ch->w1_01 = (int32_t)(((uint32_t)w[4] << 16) | (uint16_t)w[1]);
    ch->w1_2 = w[7];
  }
#ifdef MCUNET_SIMD32
  /* Packed from the filter, over the unpacked taps, which these windows leave unread. */
  for (int32_t ky = 0; ky < k_h && (k_w == 5 || k_w == 7); ++ky) {
    const uint16_t w5 = k_w == 7 ? (uint16_t)MCUNET_DW_TAP(ky, 5) : 0;
    const uint16_t w6 = k_w == 7 ? (uint16_t)MCUNET_DW_TAP(ky, 6) : 0;
    mcunet_dw_row_taps* r = &ch->u.rows[ky];
    r->a = (int32_t)(((uint32_t)(uint16_t)MCUNET_DW_TAP(ky, 2) << 16) |
                     (uint16_t)MCUNET_DW_TAP(ky, 0));
    r->b = (int32_t)(((uint32_t)(uint16_t)MCUNET_DW_TAP(ky, 3) << 16) |
                     (uint16_t)MCUNET_DW_TAP(ky, 1));
    r->c = (int32_t)(((uint32_t)w6 << 16) | (uint16_t)MCUNET_DW_TAP(ky, 4));
    r->d = w5;
  }
#endif
#undef MCUNET_DW_TAP
  ch->base = (bias ? bias[c] : 0) + p->input_offset * sum;
  ch->mult = p->multiplier[c], ch->shift = p->shift[c];
  ch->e = -ch->shift - 2;
  ch->round = ch->shift <= -2 ? 1 << ch->e : 0;
}

int mcunet_depthwise_conv2d_rows_s8(const mcunet_conv_params* p, const int8_t* input,
                                    const int8_t* filter, const int32_t* bias, int8_t* output,
                                    int8_t* scratch) {
  if (p->depth_multiplier != 1 || p->out_c != p->in_c || p->dilation_h != 1 || p->dilation_w != 1 ||
      p->stride_h != 1 || p->stride_w != 1 || p->k_h > MCUNET_DW_ROWS_MAX_K ||
      p->k_w > MCUNET_DW_ROWS_MAX_K || scratch == NULL) {
    return MCUNET_BAD_PARAMS;
  }
  const int32_t c_count = p->in_c;
  const int64_t row = (int64_t)p->in_w * c_count, out_row = (int64_t)p->out_w * c_count;
  const int by_columns = mcunet_dw_by_columns(p);
  mcunet_dw_view v;
  v.p = p;
  v.lines = scratch;
  v.lines_held = mcunet_dw_lines_held(p);
  v.line_bytes = mcunet_dw_line_bytes(p);
  v.by_columns = by_columns;
  v.pad = (int8_t)(-p->input_offset); /* the input zero point: x + offset = 0 */
  if (by_columns) {
    v.out_lines = p->out_w, v.out_len = p->out_h;
    v.k_across = p->k_w, v.k_along = p->k_h, v.s_across = p->stride_w, v.s_along = p->stride_h;
    v.pad_across = p->pad_left, v.pad_along = p->pad_top;
    v.img_lines = p->in_w, v.img_line = c_count, v.img_elem = row;
    v.out_line = c_count, v.out_elem = out_row;
  } else {
    v.out_lines = p->out_h, v.out_len = p->out_w;
    v.k_across = p->k_h, v.k_along = p->k_w, v.s_across = p->stride_h, v.s_along = p->stride_w;
    v.pad_across = p->pad_top, v.pad_along = p->pad_left;
    v.img_lines = p->in_h, v.img_line = row, v.img_elem = c_count;
    v.out_line = out_row, v.out_elem = c_count;
  }
  /* Image elements that land in a padded line (SAME may pad nothing at the end
   * while VALID may leave elements unread). */
  const int32_t img_len = by_columns ? p->in_h : p->in_w;
  const int32_t padded_len = (v.out_len - 1) * v.s_along + v.k_along;
  v.copy_len = img_len < padded_len - v.pad_along ? img_len : padded_len - v.pad_along;
  const int64_t in_plane = (int64_t)p->in_h * row, out_plane = (int64_t)p->out_h * out_row;
  /* Pad columns stay as written here; lines are filled as the channel needs them. */
  memset(scratch, v.pad, (size_t)mcunet_depthwise_conv2d_rows_scratch(p));
  for (int32_t b = 0; b < p->batches; ++b) {
    v.in_b = input + b * in_plane;
    int8_t* out_b = output + b * out_plane;
    for (int32_t c = 0; c < c_count; ++c) {
      mcunet_dw_channel ch;
      mcunet_dw_channel_set(&v, filter, bias, c, &ch);
      mcunet_dw_rows_channel(&v, &ch, c, out_b + c);
    }
  }
  return MCUNET_OK;
}
