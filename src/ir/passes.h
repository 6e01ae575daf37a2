// Graph rewrites that keep results bit-exact and shrink memory.
#pragma once

#include "ir/graph.h"

namespace mcunet {

struct PassStats {
  int pads_folded = 0;
  int identity_quantizes_dropped = 0;
};

// Folds a PAD (or PADV2 whose value is the zero point) that feeds only a
// CONV_2D or DEPTHWISE_CONV_2D into that convolution's explicit padding: the
// padded tensor, often the largest in the network, is never built. Exact,
// because a padded zero-point tap contributes (zp - zp) * w = 0, which is what
// the kernels' skipped taps contribute.
int FoldPadIntoConvolutions(Graph& graph);

// Drops QUANTIZE int8 -> int8 whose input and output quantisation are equal
// (an exact copy), rewiring its readers to its input. Kept when its output is a
// graph output. (RESHAPE needs no pass: its output aliases its input, so it
// costs neither bytes nor a copy.)
int DropIdentityQuantize(Graph& graph);

// Every pass, in order.
PassStats OptimizeGraph(Graph& graph);

}  // namespace mcunet
