// Plots of a search for people: held-out accuracy against peak SRAM of every
// evaluated network, the Pareto front, the chosen network and the SRAM budget.
#pragma once
#include <string>
#include <vector>

#include "nas/evolution.h"

namespace mcunet {

std::string ParetoSvg(const std::vector<Candidate>& evaluated, const std::vector<Candidate>& front,
                      const Candidate& kept, int64_t sram_budget_bytes, const std::string& title);

}  // namespace mcunet
