/* AVERAGE_POOL_2D and MAX_POOL_2D int8. Windows are clipped to the image, and
 * the average divides by the clipped count (TFLite's rule), rounding half away
 * from zero. Input and output share scale and zero point. */
#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"
#include "mcunet_simd.h"

typedef int32_t (*pool_reduce_fn)(const mcunet_pool_params* p, const int8_t* in_b, int32_t c,
                                  int32_t y0, int32_t y1, int32_t x0, int32_t x1, int* ok);

static int32_t average(const mcunet_pool_params* p, const int8_t* in_b, int32_t c, int32_t y0,
                       int32_t y1, int32_t x0, int32_t x1, int* ok) {
  int32_t sum = 0, count = 0;
  for (int32_t y = y0; y < y1; ++y) {
    for (int32_t x = x0; x < x1; ++x) {
      sum += in_b[((int64_t)y * p->in_w + x) * p->channels + c];
      ++count;
    }
  }
  if (count == 0) {
    *ok = 0;
    return 0;
  }
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

#ifdef MCUNET_SIMD32
/* Every channel of one output pixel, four at a time, for windows of at most 256
 * values: SXTAB16 sums the even and the odd bytes of a word in 16-bit halves,
 * which 256 int8 values cannot overflow; then average()'s rounding. */
static void mcunet_average_groups(const mcunet_pool_params* p, const int8_t* in_b, int32_t y0,
                                  int32_t y1, int32_t x0, int32_t x1, int8_t* out_px) {
  const int32_t channels = p->channels, count = (y1 - y0) * (x1 - x0), half = count / 2;
  const int64_t row = (int64_t)p->in_w * channels, skip = row - (int64_t)(x1 - x0) * channels;
  for (int32_t c = 0; c < channels; c += 4) {
    int32_t even = 0, odd = 0;
    const int8_t* in = in_b + y0 * row + (int64_t)x0 * channels + c;
    for (int32_t y = y0; y < y1; ++y, in += skip) {
      for (int32_t x = x0; x < x1; ++x, in += channels) {
        const int32_t v = mcunet_load_i32(in);
        even = __sxtab16(even, v);
        odd = mcunet_sxtab16_ror8(odd, v);
      }
    }
    const int32_t sums[4] = {(int16_t)even, (int16_t)odd, even >> 16, odd >> 16};
    for (int32_t k = 0; k < 4; ++k) {
      const int32_t sum = sums[k];
      const int32_t v = sum > 0 ? (sum + half) / count : (sum - half) / count;
      out_px[c + k] = (int8_t)mcunet_clamp_i32(v, p->act_min, p->act_max);
    }
  }
}
#endif

static int32_t maximum(const mcunet_pool_params* p, const int8_t* in_b, int32_t c, int32_t y0,
                       int32_t y1, int32_t x0, int32_t x1, int* ok) {
  int32_t best = -128;
  (void)ok;
  for (int32_t y = y0; y < y1; ++y) {
    for (int32_t x = x0; x < x1; ++x) {
      const int32_t v = in_b[((int64_t)y * p->in_w + x) * p->channels + c];
      if (v > best) best = v;
    }
  }
  return best;
}

static int pool(const mcunet_pool_params* p, const int8_t* input, int8_t* output,
                pool_reduce_fn reduce) {
  int ok = 1;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in_b = input + (int64_t)b * p->in_h * p->in_w * p->channels;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      const int32_t iy0 = oy * p->stride_h - p->pad_top;
      const int32_t y0 = iy0 < 0 ? 0 : iy0;
      const int32_t y1 = iy0 + p->k_h > p->in_h ? p->in_h : iy0 + p->k_h;
      for (int32_t ox = 0; ox < p->out_w; ++ox) {
        const int32_t ix0 = ox * p->stride_w - p->pad_left;
        const int32_t x0 = ix0 < 0 ? 0 : ix0;
        const int32_t x1 = ix0 + p->k_w > p->in_w ? p->in_w : ix0 + p->k_w;
        int8_t* out_px = output + (((int64_t)b * p->out_h + oy) * p->out_w + ox) * p->channels;
#ifdef MCUNET_SIMD32
        if (reduce == average && p->channels % 4 == 0 && y1 > y0 && x1 > x0 &&
            (y1 - y0) * (x1 - x0) <= 256) {
          mcunet_average_groups(p, in_b, y0, y1, x0, x1, out_px);
          continue;
        }
#endif
        for (int32_t c = 0; c < p->channels; ++c) {
          const int32_t v = reduce(p, in_b, c, y0, y1, x0, x1, &ok);
          out_px[c] = (int8_t)mcunet_clamp_i32(v, p->act_min, p->act_max);
        }
      }
    }
  }
  return ok ? MCUNET_OK : MCUNET_BAD_PARAMS;
}

int mcunet_avg_pool_s8(const mcunet_pool_params* p, const int8_t* input, int8_t* output) {
  return pool(p, input, output, average);
}

int mcunet_max_pool_s8(const mcunet_pool_params* p, const int8_t* input, int8_t* output) {
  return pool(p, input, output, maximum);
}
