#include "nas/run_eta.h"

#include <gtest/gtest.h>

namespace mcunet {
namespace {

using std::chrono::seconds;

TEST(RunEta, ExtrapolatesTheMeasuredRateOverTheRemainingPhases) {
  // Phases of 0 (stage 1), 100, 300 and 600 units.
  RunEta eta({0, 100, 300, 600});
  const RunEta::Clock::time_point t0{};
  EXPECT_FALSE(eta.Update(0, 0.5, t0));               // no work in stage 1: no rate
  EXPECT_FALSE(eta.Update(1, 0.0, t0 + seconds(5)));  // the clock starts here
  // 50 units in 10 s: 5 units/s; 950 units left -> 190 s.
  EXPECT_DOUBLE_EQ(*eta.Update(1, 0.5, t0 + seconds(15)), 190.0);
  // Into phase 2: 100 + 150 = 250 done, 250 in 50 s; 750 left -> 150 s.
  EXPECT_DOUBLE_EQ(*eta.Update(2, 0.5, t0 + seconds(55)), 150.0);
  EXPECT_DOUBLE_EQ(*eta.Update(4, 0.0, t0 + seconds(60)), 0.0);  // past the last phase
}

TEST(RunEta, AResumedRunCountsOnlyTheWorkItDoes) {
  RunEta eta({100, 100});
  const RunEta::Clock::time_point t0{};
  EXPECT_FALSE(eta.Update(1, 0.5, t0));  // found half of phase 1 done
  // 25 more units in 10 s; 25 left -> 10 s (not 150 done / 10 s).
  EXPECT_DOUBLE_EQ(*eta.Update(1, 0.75, t0 + seconds(10)), 10.0);
}

TEST(RunEta, NoEstimateWithoutProgress) {
  RunEta eta({10});
  const RunEta::Clock::time_point t0{};
  EXPECT_FALSE(eta.Update(0, 0.2, t0));
  EXPECT_FALSE(eta.Update(0, 0.2, t0 + seconds(3)));
}

}  // namespace
}  // namespace mcunet
