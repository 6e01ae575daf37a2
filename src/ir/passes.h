// Graph rewrites that keep results bit-exact and shrink memory.
#pragma once

#include "ir/graph.h"

namespace mcunet {

struct PassStats {
  int pads_folded = 0;
  int identity_quantizes_dropped = 0;
  int depthwise_to_conv = 0;
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

// Rewrites a DEPTHWISE_CONV_2D over one input channel (out_c = depth
// multiplier) as the CONV_2D it is: out_c filters of one channel, the filter
// transposed from [1][k_h][k_w][out_c] to [out_c][k_h][k_w][1], its per-channel
// quantisation moved to dimension 0. Exact: every output is the same sum of
// the same terms with the same requantisation; the convolution then runs the
// gathering kernel instead of the reference depthwise loops (the first layers
// of person_detect and micro_speech). The node keeps its operator index.
int DepthwiseOverOneChannelToConv(Graph& graph);

// Every pass, in order.
PassStats OptimizeGraph(Graph& graph);

}  // namespace mcunet
