/* STRIDED_SLICE (mcunet_strided_slice_params): the host resolved masks, negative
 * indices and clamping as TF Lite Micro does (strided_slice_logic.h); here each
 * of the 4 dimensions runs from start towards stop by stride. Output elements
 * in row-major order; raw bytes of any element type. */
#include <string.h>

#include "mcunet_kernels.h"

static int mcunet_slice_done(int32_t i, int32_t stop, int32_t stride) {
  return stride > 0 ? i >= stop : i <= stop;
}

int mcunet_strided_slice(const mcunet_strided_slice_params* p, const void* input, void* output) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  const int64_t es = p->element_bytes;
  const int64_t s3 = es, s2 = s3 * p->in_dims[3], s1 = s2 * p->in_dims[2], s0 = s1 * p->in_dims[1];
  for (int32_t i0 = p->start[0]; !mcunet_slice_done(i0, p->stop[0], p->stride[0]);
       i0 += p->stride[0])
    for (int32_t i1 = p->start[1]; !mcunet_slice_done(i1, p->stop[1], p->stride[1]);
         i1 += p->stride[1])
      for (int32_t i2 = p->start[2]; !mcunet_slice_done(i2, p->stop[2], p->stride[2]);
           i2 += p->stride[2])
        for (int32_t i3 = p->start[3]; !mcunet_slice_done(i3, p->stop[3], p->stride[3]);
             i3 += p->stride[3]) {
          memcpy(out, in + i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3, (size_t)es);
          out += es;
        }
  return MCUNET_OK;
}
