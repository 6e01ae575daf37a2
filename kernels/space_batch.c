/* SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND for any element type (NHWC, rank 3 as
 * W = 1): one copy of C elements per pixel. Batch b of the batched tensor is
 * block offset (b / N) (row-major over block_h x block_w) of spatial batch b % N. */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_space_to_batch(const mcunet_space_batch_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const int32_t n = p->space_dims[0], h = p->space_dims[1], w = p->space_dims[2];
  const size_t pixel = (size_t)p->space_dims[3] * (size_t)p->element_size;
  if (n <= 0 || p->block_h <= 0 || p->block_w <= 0) return MCUNET_BAD_PARAMS;
  for (int32_t ob = 0; ob < p->batch_dims[0]; ++ob) {
    const int32_t b = ob % n, sw = (ob / n) % p->block_w, sh = (ob / n) / p->block_w;
    for (int32_t oy = 0; oy < p->batch_dims[1]; ++oy) {
      const int32_t y = oy * p->block_h + sh - p->top;
      for (int32_t ox = 0; ox < p->batch_dims[2]; ++ox, out += pixel) {
        const int32_t x = ox * p->block_w + sw - p->left;
        if (y < 0 || y >= h || x < 0 || x >= w) {
          memset(out, p->pad_byte, pixel);
        } else {
          memcpy(out, in + (((int64_t)b * h + y) * w + x) * (int64_t)pixel, pixel);
        }
      }
    }
  }
  return MCUNET_OK;
}

int mcunet_batch_to_space(const mcunet_space_batch_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const int32_t n = p->space_dims[0], h = p->space_dims[1], w = p->space_dims[2];
  const size_t pixel = (size_t)p->space_dims[3] * (size_t)p->element_size;
  if (n <= 0 || p->block_h <= 0 || p->block_w <= 0) return MCUNET_BAD_PARAMS;
  for (int32_t ib = 0; ib < p->batch_dims[0]; ++ib) {
    const int32_t b = ib % n, sw = (ib / n) % p->block_w, sh = (ib / n) / p->block_w;
    for (int32_t iy = 0; iy < p->batch_dims[1]; ++iy) {
      const int32_t y = iy * p->block_h + sh - p->top;
      if (y < 0 || y >= h) {
        in += (size_t)p->batch_dims[2] * pixel;
        continue;
      }
      for (int32_t ix = 0; ix < p->batch_dims[2]; ++ix, in += pixel) {
        const int32_t x = ix * p->block_w + sw - p->left;
        if (x >= 0 && x < w)
          memcpy(out + (((int64_t)b * h + y) * w + x) * (int64_t)pixel, in, pixel);
      }
    }
  }
  return MCUNET_OK;
}
