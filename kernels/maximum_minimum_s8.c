/* MAXIMUM and MINIMUM int8: the larger / smaller raw value, as TF Lite Micro
 * compares them (no rescaling). Output element i is written after both inputs'
 * elements for it are read. */
#include "mcunet_broadcast.h"
#include "mcunet_kernels.h"

int mcunet_maximum_s8(const mcunet_broadcast_params* p, const int8_t* input1, const int8_t* input2,
                      int8_t* output) {
#define MCUNET_MAX_ELEMENT(i1, i2, o) output[o] = input1[i1] > input2[i2] ? input1[i1] : input2[i2]
  MCUNET_FOR_EACH_BROADCAST(p, MCUNET_MAX_ELEMENT);
#undef MCUNET_MAX_ELEMENT
  return MCUNET_OK;
}

int mcunet_minimum_s8(const mcunet_broadcast_params* p, const int8_t* input1, const int8_t* input2,
                      int8_t* output) {
#define MCUNET_MIN_ELEMENT(i1, i2, o) output[o] = input1[i1] < input2[i2] ? input1[i1] : input2[i2]
  MCUNET_FOR_EACH_BROADCAST(p, MCUNET_MIN_ELEMENT);
#undef MCUNET_MIN_ELEMENT
  return MCUNET_OK;
}
