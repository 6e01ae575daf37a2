/* Include first in a kernel whose float steps must round exactly like TF Lite
 * Micro's: a fused multiply-add rounds a*b+c once where TFLite rounds twice.
 * GCC contracts by default in its GNU C modes (even across statements), so the
 * file forbids it itself rather than relying on the user's -ffp-contract=off. */
#ifndef MCUNET_NO_FMA_H_
#define MCUNET_NO_FMA_H_

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#endif /* MCUNET_NO_FMA_H_ */
