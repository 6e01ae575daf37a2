#include "core/plot_ticks.h"

#include <gtest/gtest.h>

namespace mcunet {
namespace {

TEST(RoundTicks, StepsOfOneTwoTwoAndAHalfOrFive) {
  EXPECT_EQ(RoundTicks(67), (std::vector<double>{0, 20, 40, 60, 80}));
  EXPECT_EQ(RoundTicks(58.0), (std::vector<double>{0, 20, 40, 60}));
  EXPECT_EQ(RoundTicks(100), (std::vector<double>{0, 25, 50, 75, 100}));
  EXPECT_EQ(RoundTicks(1), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(RoundTicks(0.9), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(RoundTicks(320), (std::vector<double>{0, 100, 200, 300, 400}));
  EXPECT_EQ(RoundTicks(0), (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
}

TEST(RoundTicks, TheLastCoversTheLargestValue) {
  for (double v : {0.013, 3.7, 17.0, 222.4, 54321.0, 1e9}) {
    const auto t = RoundTicks(v);
    EXPECT_GE(t.back(), v) << v;
    EXPECT_GE(t.size(), 3u) << v;
    EXPECT_LE(t.size(), 7u) << v;
  }
}

}  // namespace
}  // namespace mcunet
