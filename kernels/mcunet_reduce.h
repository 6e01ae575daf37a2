/* The walk MEAN, SUM and REDUCE_MAX share: every element of a rank-4 input in
 * row-major order, with the index of the output element it folds into (the
 * reduced axes have size 1 in the output). */
#ifndef MCUNET_REDUCE_H_
#define MCUNET_REDUCE_H_

#include <stdint.h>

static inline void mcunet_reduced_strides(const int32_t in_dims[4], const int32_t reduce[4],
                                          int32_t strides[4]) {
  strides[3] = 1;
  for (int i = 2; i >= 0; --i) strides[i] = strides[i + 1] * (reduce[i + 1] ? 1 : in_dims[i + 1]);
}

/* Runs BODY once per input element, in order, with `o` its output index. */
#define MCUNET_FOR_EACH_REDUCED(in_dims, reduce, o, BODY)                                       \
  do {                                                                                          \
    int32_t s_[4];                                                                              \
    mcunet_reduced_strides(in_dims, reduce, s_);                                                \
    for (int32_t d0 = 0; d0 < (in_dims)[0]; ++d0)                                               \
      for (int32_t d1 = 0; d1 < (in_dims)[1]; ++d1)                                             \
        for (int32_t d2 = 0; d2 < (in_dims)[2]; ++d2)                                           \
          for (int32_t d3 = 0; d3 < (in_dims)[3]; ++d3) {                                       \
            const int32_t o = ((reduce)[0] ? 0 : d0) * s_[0] + ((reduce)[1] ? 0 : d1) * s_[1] + \
                              ((reduce)[2] ? 0 : d2) * s_[2] + ((reduce)[3] ? 0 : d3) * s_[3];  \
            BODY                                                                                \
          }                                                                                     \
  } while (0)

#endif /* MCUNET_REDUCE_H_ */
