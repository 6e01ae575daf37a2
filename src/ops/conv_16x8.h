// The 16x8 variants of CONV_2D and DEPTHWISE_CONV_2D (int16 activations, int8
// per-channel weights, int64 bias): their own kernels (kernels/conv_s16.c,
// kernels/depthwise_conv_s16.c, the reference loops with an int64 sum) behind
// one prepared op.
#pragma once

#include <memory>

#include "core/status.h"
#include "ir/graph.h"
#include "kernels/mcunet_kernels.h"
#include "ops/conv_common.h"
#include "ops/op.h"

namespace mcunet {

enum class Conv16x8Kind { kConv, kDepthwise };

// What TFLite's 16x8 scheme requires beyond the int8 checks and the zero
// points 0 every int16 activation has (PrepareNode): multipliers >= 0 and
// shifts <= 7 (its int64 requantisation), and sums within +-2^47
// (`abs_weight_sums[c]`: sum |w| of output channel c). The optional bias is
// input `bias` (TRANSPOSE_CONV has it at 3).
Status Check16x8Conv(const Graph& g, const Node& node, const ConvQuant& quant,
                     const std::vector<int64_t>& abs_weight_sums, int bias = 2);

std::unique_ptr<PreparedOp> MakeConv16x8Op(Conv16x8Kind kind, mcunet_conv_params params,
                                           ConvQuant quant);

}  // namespace mcunet
