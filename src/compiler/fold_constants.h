// Constant folding: operators whose result is known when the model is compiled
// run once, here, and their outputs become constants. Keras writes a reshape
// whose shape is computed at run time (SHAPE -> STRIDED_SLICE -> PACK ->
// RESHAPE); folded, the chain is gone and the reshape is static, so neither the
// arena nor the firmware carries it.
#pragma once

#include "core/status.h"
#include "ir/graph.h"

namespace mcunet {

// Folds, in execution order, every node whose inputs are all constant, and every
// SHAPE (its output depends on static shapes only), with the op's own host
// kernel. A node with an output that is a graph output is kept. Returns the
// number of nodes folded; an op that cannot be prepared gives its error.
Expected<int> FoldConstants(Graph& graph);

}  // namespace mcunet
