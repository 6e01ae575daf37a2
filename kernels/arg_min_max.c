/* ARG_MAX / ARG_MIN along one axis, as TF Lite Micro: the first element is the
 * best so far and only a strictly greater (smaller) one replaces it, so ties
 * keep the lowest index. Values are compared raw (int8 or float32). */
#include "mcunet_kernels.h"

int mcunet_arg_min_max(const mcunet_arg_min_max_params* p, const void* input, void* output) {
  const int32_t outer = p->outer, n = p->axis_size, inner = p->inner;
  if (n <= 0) return MCUNET_BAD_PARAMS;
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t i = 0; i < inner; ++i) {
      const int64_t first = (int64_t)o * n * inner + i;
      int32_t best = 0;
      if (p->input_float) {
        const float* x = (const float*)input + first;
        float v = x[0];
        for (int32_t k = 1; k < n; ++k) {
          const float c = x[(int64_t)k * inner];
          if (p->is_max ? c > v : c < v) v = c, best = k;
        }
      } else {
        const int8_t* x = (const int8_t*)input + first;
        int8_t v = x[0];
        for (int32_t k = 1; k < n; ++k) {
          const int8_t c = x[(int64_t)k * inner];
          if (p->is_max ? c > v : c < v) v = c, best = k;
        }
      }
      const int64_t at = (int64_t)o * inner + i;
      if (p->output_int64) {
        ((int64_t*)output)[at] = best;
      } else {
        ((int32_t*)output)[at] = best;
      }
    }
  }
  return MCUNET_OK;
}
