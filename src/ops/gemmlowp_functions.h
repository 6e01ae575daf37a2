// The fixed-point transcendental functions TF Lite Micro's int8 LOGISTIC and TANH
// use (gemmlowp's, on raw int32 values), for the host to tabulate them exactly.
#pragma once

#include <cstdint>

namespace mcunet {

// logistic(x) for x a Q4.27 raw value; the result is Q0.31 (1.0 saturates to INT32_MAX).
int32_t GemmlowpLogistic(int32_t x_q4);

// tanh(x) for x a Q4.27 raw value; the result is Q0.31.
int32_t GemmlowpTanh(int32_t x_q4);

}  // namespace mcunet
