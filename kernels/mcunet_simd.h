/* The ARMv7E-M SIMD helpers the DSP kernel paths share. MCUNET_SIMD32 is defined
 * only where the core has the SIMD32 instructions (Cortex-M4/M7: SXTB16, SMLAD,
 * SMLABB...); other cores and the host take the portable loops. */
#ifndef MCUNET_SIMD_H_
#define MCUNET_SIMD_H_

#include <stdint.h>

#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
#define MCUNET_SIMD32 1
#include <arm_acle.h>
#include <string.h>

/* Four bytes as one word: unaligned-safe, one LDR on cores that allow it. */
static inline int32_t mcunet_load_i32(const int8_t* p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* SXTB16 / SXTAB16 of the word rotated by 8 (the odd bytes) in one instruction:
 * the rotation is an operand of the instruction, which ACLE does not expose. */
static inline int32_t mcunet_sxtb16_ror8(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
static inline int32_t mcunet_sxtab16_ror8(int32_t a, int32_t x) {
  int32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
  return r;
}

/* The low halves of lo and hi as one word's low and high halves (PKHBT, which
 * GCC's ACLE header lacks). */
static inline int32_t mcunet_pack16(int32_t lo, int32_t hi) {
  int32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
}

/* Both 16-bit halves of a word set to v (e.g. an input offset for SXTAB16). */
static inline int32_t mcunet_dup16(int32_t v) {
  return (int32_t)((uint32_t)(v & 0xFFFF) * 0x00010001u);
}
#endif

#endif /* MCUNET_SIMD_H_ */
