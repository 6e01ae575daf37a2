// The memory profile as an SVG: bytes live at each layer under our plan and
// under the TFLM-style baseline, with both arena sizes and the peak marked.
#pragma once

#include <string>

#include "compiler/model_stats.h"
#include "planner/memory_plan.h"

namespace mcunet::cli {

std::string MemoryProfileSvg(const std::string& title, const ModelStats& stats);

// The arena over time under `plan` (ours or the baseline of `memory`): each
// buffer a rectangle from its first to its last step, at its offset;
// activations blue, scratch orange, in-place pairs overlapping.
std::string ArenaLayoutSvg(const std::string& title, const MemoryPlan& memory,
                           const ArenaPlan& plan);

}  // namespace mcunet::cli
