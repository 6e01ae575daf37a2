// A 1x1 and a 3x3 convolution writing their pixels into a channel
// concatenation's output (strided views, planner/views.h) on QEMU's Cortex-M7,
// whose DSP blocks store three pixels a stride apart: the same bytes as the
// host runtime's copying plan.
#include <gtest/gtest.h>

#include <filesystem>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "planner/concat_graph.h"
#include "runtime/executor.h"

namespace mcunet {
namespace {

TEST(QemuConcatViews, StridedViewOnCortexM7EqualsHostRuntime) {
  std::mt19937 rng(11);
  for (int channels : {16, 6}) {
    CompileOptions o;
    auto viewed = Compile(testing::ConvConcatGraph(channels, 3), o);
    o.plan.views = false;
    auto copying = Compile(testing::ConvConcatGraph(channels, 3), o);
    ASSERT_TRUE(viewed.ok() && copying.ok());
    for (int t : viewed->graph.nodes.back().inputs) {
      ASSERT_EQ(viewed->memory.RowStride(t), 2 * channels);
    }
    const auto input = testing::AsBytes(testing::RandomInt8(rng, 8 * 8 * 4));
    auto host = Executor::Create(std::move(*copying));
    ASSERT_TRUE(host.ok());
    ASSERT_TRUE((*host)->SetInput(0, input).ok());
    ASSERT_TRUE((*host)->Invoke().ok());
    const std::vector<uint8_t> expected((*host)->Output(0).begin(), (*host)->Output(0).end());
    auto files = GenerateCProject(*viewed, CodegenOptions{});
    ASSERT_TRUE(files.ok()) << files.status().message();
    const auto dir = std::filesystem::temp_directory_path() / "mcunet_qemu_concat_views";
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
    auto run = RunOnQemu(dir.string(), "model", "cortex-m7", input, "");
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_EQ(run->output, expected) << channels << " channels";
    std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace mcunet
