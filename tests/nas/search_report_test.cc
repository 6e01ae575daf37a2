// The search's Pareto plot: every evaluated network in both panels (peak SRAM,
// Flash), both budgets drawn and labelled, the kept network's accuracy as the
// search measured it.
#include "nas/search_report.h"

#include <gtest/gtest.h>

namespace mcunet {
namespace {

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ParetoSvg, BothLimitsAndEveryNetworkInEachPanel) {
  std::vector<Candidate> evaluated;
  for (int i = 0; i < 7; ++i) {
    Candidate c;
    c.cost.peak_sram_bytes = (20 + 5 * i) * 1024;
    c.cost.flash_bytes = (100 + 20 * i) * 1024;
    c.fitness = 0.80 + 0.01 * i;
    evaluated.push_back(c);
  }
  const std::vector<Candidate> front = ParetoFront(evaluated);
  const std::string svg = ParetoSvg(evaluated, front, evaluated[5], 64 * 1024, 256 * 1024, "title");
  EXPECT_EQ(Occurrences(svg, "r='3' fill='#9ecae1'"), 2 * evaluated.size());
  EXPECT_NE(svg.find("SRAM budget 64 kB"), std::string::npos);
  EXPECT_NE(svg.find("Flash budget 256 kB"), std::string::npos);
  EXPECT_EQ(Occurrences(svg, "kept: 85.00 % held-out"), 2u);
  EXPECT_NE(svg.find("peak SRAM (kB"), std::string::npos);
  EXPECT_NE(svg.find("Flash (kB"), std::string::npos);
}

}  // namespace
}  // namespace mcunet
