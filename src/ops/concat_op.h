// The copy CONCATENATION and PACK share: one kernel call per input
// (kernels/concat.c) puts its chunks into their column of the output.
#pragma once

#include <memory>
#include <vector>

#include "kernels/mcunet_kernels.h"
#include "ops/op.h"

namespace mcunet {

// parts[i] places input i. With a single chunk per input, input 0 may already
// sit at the output's first bytes (in place).
std::unique_ptr<PreparedOp> MakeConcatOp(std::vector<mcunet_concat_params> parts);

}  // namespace mcunet
