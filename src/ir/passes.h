// Graph rewrites that keep results bit-exact and shrink memory.
#pragma once

#include "ir/graph.h"

namespace mcunet {

struct PassStats {
  int pads_folded = 0;
};

// Folds a PAD (or PADV2 whose value is the zero point) that feeds only a
// CONV_2D or DEPTHWISE_CONV_2D into that convolution's explicit padding: the
// padded tensor, often the largest in the network, is never built. Exact,
// because a padded zero-point tap contributes (zp - zp) * w = 0, which is what
// the kernels' skipped taps contribute.
int FoldPadIntoConvolutions(Graph& graph);

// Every pass, in order.
PassStats OptimizeGraph(Graph& graph);

}  // namespace mcunet
