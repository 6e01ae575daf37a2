// The memory profile as an SVG: bytes live at each layer under our plan and
// under the TFLM-style baseline, with both arena sizes and the peak marked.
#pragma once

#include <string>

#include "compiler/model_stats.h"

namespace mcunet::cli {

std::string MemoryProfileSvg(const std::string& title, const ModelStats& stats);

}  // namespace mcunet::cli
