/* The loop every binary element-wise kernel runs: output elements in row-major
 * order over out_dims, each with the offsets of its two inputs under their
 * strides (0 where an input repeats). C99, header-only. */
#ifndef MCUNET_BROADCAST_H_
#define MCUNET_BROADCAST_H_

#include <stdint.h>

/* For each output element o: ELEMENT(i1, i2, o), a macro of the kernel's, with
 * i1, i2 the element's offsets in input 1 and 2. `p` has out_dims, in1_strides
 * and in2_strides. */
#define MCUNET_FOR_EACH_BROADCAST(p, ELEMENT)                          \
  do {                                                                 \
    int64_t o_ = 0;                                                    \
    for (int32_t d0_ = 0; d0_ < (p)->out_dims[0]; ++d0_)               \
      for (int32_t d1_ = 0; d1_ < (p)->out_dims[1]; ++d1_)             \
        for (int32_t d2_ = 0; d2_ < (p)->out_dims[2]; ++d2_) {         \
          const int64_t b1_ = (int64_t)d0_ * (p)->in1_strides[0] +     \
                              (int64_t)d1_ * (p)->in1_strides[1] +     \
                              (int64_t)d2_ * (p)->in1_strides[2];      \
          const int64_t b2_ = (int64_t)d0_ * (p)->in2_strides[0] +     \
                              (int64_t)d1_ * (p)->in2_strides[1] +     \
                              (int64_t)d2_ * (p)->in2_strides[2];      \
          for (int32_t d3_ = 0; d3_ < (p)->out_dims[3]; ++d3_, ++o_) { \
            ELEMENT(b1_ + (int64_t)d3_ * (p)->in1_strides[3],          \
                    b2_ + (int64_t)d3_ * (p)->in2_strides[3], o_);     \
          }                                                            \
        }                                                              \
  } while (0)

#endif /* MCUNET_BROADCAST_H_ */
