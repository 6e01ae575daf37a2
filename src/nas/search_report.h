// Plots of a search for people: held-out accuracy (as the search measured it,
// before final training) of every evaluated network against its peak SRAM and
// its Flash, the Pareto front, the kept network and both budgets.
#pragma once
#include <string>
#include <vector>

#include "nas/evolution.h"

namespace mcunet {

std::string ParetoSvg(const std::vector<Candidate>& evaluated, const std::vector<Candidate>& front,
                      const Candidate& kept, int64_t sram_budget_bytes, int64_t flash_budget_bytes,
                      const std::string& title);

}  // namespace mcunet
