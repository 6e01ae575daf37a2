/* RESIZE_NEAREST_NEIGHBOR on NHWC data (mcunet_resize_nearest_params): output
 * pixel (b, y, x) is input pixel (b, y_index[y], x_index[x]); the host computed
 * the index tables with TF Lite Micro's float arithmetic, so the device needs
 * none. Raw bytes of any element type. */
#include <string.h>

#include "mcunet_kernels.h"

int mcunet_resize_nearest(const mcunet_resize_nearest_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const int64_t row_bytes = (int64_t)p->in_w * p->pixel_bytes;
  const int64_t image_bytes = (int64_t)p->in_h * row_bytes;
  for (int32_t b = 0; b < p->batches; ++b) {
    for (int32_t y = 0; y < p->out_h; ++y) {
      const uint8_t* row = in + b * image_bytes + p->y_index[y] * row_bytes;
      for (int32_t x = 0; x < p->out_w; ++x) {
        memcpy(out, row + (int64_t)p->x_index[x] * p->pixel_bytes, (size_t)p->pixel_bytes);
        out += p->pixel_bytes;
      }
    }
  }
  return MCUNET_OK;
}
