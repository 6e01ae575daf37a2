// Compile's trade of Flash for speed (CompileOptions::flash_for_speed): constants
// stored widened for the DSP cores' kernels (PreparedOp::OfferWiderConstants),
// the most instructions saved per byte first, never past the Flash limit.
#include <gtest/gtest.h>

#include "compiler/compile_file.h"
#include "test_data.h"

namespace mcunet::testing {
namespace {

struct Built {
  int64_t flash = 0;    // constants and tables + the code estimate
  int wide_layers = 0;  // layers whose rows are stored widened
};

Built Build(const std::string& stem, bool for_speed, int64_t limit) {
  CompileOptions options;
  options.flash_for_speed = for_speed;
  options.flash_limit = limit;
  auto m = CompileTfliteFile(ModelPath(stem), options);
  EXPECT_TRUE(m.ok()) << m.status().message();
  if (!m.ok()) return {};
  Built b{m->totals.flash_bytes + kCodeBytesEstimate, 0};
  for (const auto& op : m->ops) b.wide_layers += op->KernelVariant() == "wide";
  return b;
}

TEST(WiderConstants, StayWithinTheFlashLimit) {
  const std::string stem = "tflm_person_detect";
  const Built keep = Build(stem, false, 0);
  EXPECT_EQ(keep.wide_layers, 0);
  // Room for everything: every 1x1 layer's rows widened (MobileNet v1's 13
  // pointwise layers and the 1x1 classifier).
  const Built all = Build(stem, true, int64_t{1} << 40);
  EXPECT_EQ(all.wide_layers, 14);
  EXPECT_GT(all.flash, keep.flash);
  // No room: the model's bytes.
  const Built none = Build(stem, true, keep.flash);
  EXPECT_EQ(none.flash, keep.flash);
  EXPECT_EQ(none.wide_layers, 0);
  // Half the room: some layers, within the limit.
  const int64_t half = keep.flash + (all.flash - keep.flash) / 2;
  const Built some = Build(stem, true, half);
  EXPECT_LE(some.flash, half);
  EXPECT_GT(some.wide_layers, 0);
  EXPECT_LT(some.wide_layers, all.wide_layers);
  // Early layers (many pixels, few weights) save the most per byte: half the
  // bytes widen more than half the layers.
  EXPECT_GT(2 * some.wide_layers, all.wide_layers);
}

TEST(WiderConstants, DefaultLimitKeepsAOneMegabyteModelInside) {
  // mcunet-320kb was searched for 1 MB of Flash: widening takes what is left.
  const std::string stem = "mcunet_320kb-1mb_imagenet";
  const Built keep = Build(stem, false, 0);
  const Built fast = Build(stem, true, CompileOptions{}.flash_limit);
  EXPECT_LE(fast.flash, int64_t{1} << 20);
  EXPECT_GT(fast.flash, keep.flash);
  EXPECT_GT(fast.wide_layers, 0);
}

}  // namespace
}  // namespace mcunet::testing
