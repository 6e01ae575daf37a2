// The cost model's inputs and coverage. Its accuracy against QEMU's counts is
// checked in tests/qemu (and measured per model by build/bench_cost_model).
#include "compiler/cost_model.h"

#include <gtest/gtest.h>

#include "compiler/compile_file.h"
#include "kernels/single_op.h"
#include "test_data.h"

namespace mcunet::testing {
namespace {

// 3x3 SAME over a 3x3 input: along each axis the outputs see 2, 3 and 2 taps
// inside the input, so 7 x 7 of the 9 x 9 window taps multiply real input.
TEST(CostModel, InsideMacsLeaveOutPaddedTaps) {
  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, 3, 3, 2}, {0.1f}, {0});
  const int t_w = g.AddConstant(DataType::kInt8, {4, 3, 3, 2}, std::vector<int8_t>(72, 1),
                                std::vector<float>(4, 0.1f), std::vector<int64_t>(4, 0));
  const int t_out = g.AddTensor(DataType::kInt8, {1, 3, 3, 4}, {0.1f}, {0});
  g.SetNode(OpKind::kConv2D, {t_in, t_w}, {t_out}, ConvAttrs{});
  auto ex = g.Build();
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const LayerStats layer = ComputeModelStats((*ex)->model()).layers[0];
  EXPECT_EQ(layer.macs, 9 * 4 * 9 * 2);
  EXPECT_EQ(layer.inside_macs, 7 * 7 * 4 * 2);
  // Alone in its graph, the widening variant's scratch would grow the arena;
  // without pairs of rows of whole groups, the compact one gathers int8 windows.
  EXPECT_EQ(layer.kernel, "mcunet_conv2d_im2col_compact_s8:general");
  EXPECT_EQ(layer.output_pixels, 9);
  EXPECT_EQ(layer.input_channels, 2);
}

// Every kernel the shipped models use has a cost on each fitted core, and the
// estimate is the sum of its layers and the call's own cost (each layer rounded
// on its own: half an instruction each at most).
TEST(CostModel, CoversEveryShippedModel) {
  for (const std::string& stem : GoldenModels()) {
    auto model = CompileTfliteFile(ModelPath(stem));
    ASSERT_TRUE(model.ok()) << model.status().message();
    const ModelStats stats = ComputeModelStats(*model);
    for (const char* core : {"cortex-m7", "cortex-m4", "cortex-m0plus"}) {
      const CostEstimate e = EstimateInstructions(stats, core);
      EXPECT_TRUE(e.unknown_kernels.empty())
          << stem << " on " << core << ": " << e.unknown_kernels[0];
      EXPECT_GT(e.instructions, 0) << stem;
      double sum = 0;
      for (int64_t n : e.layers) sum += static_cast<double>(n);
      for (const KernelCost& c : KernelCosts(core)) sum += c.kernel == "invoke" ? c.per[0] : 0;
      EXPECT_NEAR(sum, static_cast<double>(e.instructions), 0.5 * e.layers.size() + 0.5) << stem;
    }
    EXPECT_TRUE(KernelCosts("cortex-m33").empty());
  }
}

}  // namespace
}  // namespace mcunet::testing
