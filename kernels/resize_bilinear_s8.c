/* RESIZE_BILINEAR int8 as TF Lite Micro's integer path: the host's tables give,
 * per output row and column, the two source indices and the weight of the
 * second in 1/1024 steps; the four products sum in int64 and round half away
 * from zero at 2^20. Raw values (the input's quantisation). */
#include "mcunet_kernels.h"

int mcunet_resize_bilinear_s8(const mcunet_resize_bilinear_params* p, const int8_t* input,
                              int8_t* output) {
  const int32_t c_count = p->channels;
  const int64_t row = (int64_t)p->in_w * c_count, image = (int64_t)p->in_h * row;
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in = input + b * image;
    for (int32_t oy = 0; oy < p->out_h; ++oy) {
      const int32_t* ty = p->y_table + 3 * oy;
      const int64_t dy = ty[2];
      const int8_t* r0 = in + ty[0] * row;
      const int8_t* r1 = in + ty[1] * row;
      for (int32_t ox = 0; ox < p->out_w; ++ox) {
        const int32_t* tx = p->x_table + 3 * ox;
        const int64_t dx = tx[2];
        const int8_t* a = r0 + (int64_t)tx[0] * c_count;
        const int8_t* bb = r0 + (int64_t)tx[1] * c_count;
        const int8_t* c = r1 + (int64_t)tx[0] * c_count;
        const int8_t* d = r1 + (int64_t)tx[1] * c_count;
        for (int32_t ch = 0; ch < c_count; ++ch) {
          const int64_t acc = a[ch] * (1024 - dy) * (1024 - dx) + c[ch] * dy * (1024 - dx) +
                              bb[ch] * (1024 - dy) * dx + d[ch] * dy * dx;
          /* C division truncates: +-2^19 first rounds half away from zero. */
          *output++ = (int8_t)((acc + (acc > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20));
        }
      }
    }
  }
  return MCUNET_OK;
}
