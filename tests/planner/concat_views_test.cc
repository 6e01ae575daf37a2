// Concatenation inputs planned as views of the output (planner/views.h): the
// checker's rules for views on hand-made tables, and a conv -> concat graph
// whose convolutions write straight into the output, with no copy, an arena no
// larger than the copying plan's and the same bytes out.
#include <gtest/gtest.h>

#include "compiler/compile.h"
#include "compiler/model_stats.h"
#include "planner/concat_graph.h"
#include "planner/views.h"
#include "runtime/executor.h"

namespace mcunet {
namespace {

// Buffer 0: a 64-byte output live at steps 0..2; 1 and 2 its two 32-byte
// halves, written at steps 0 and 1 and read at step 2; 3 another buffer.
std::vector<BufferRequest> ViewTable() {
  std::vector<BufferRequest> r = {{64, 0, 2}, {32, 0, 2}, {32, 1, 2}, {16, 1, 1}};
  r[1].view_of = 0, r[1].view_offset = 0;
  r[2].view_of = 0, r[2].view_offset = 32;
  return r;
}

TEST(ViewChecker, AViewMayOverlapItsParentOnlyAtItsPlace) {
  const auto r = ViewTable();
  EXPECT_EQ(FindOverlap(r, {{0, 0, 32, 64}, 80}), "");
  EXPECT_NE(FindOverlap(r, {{0, 16, 32, 64}, 80}).find("overlap"), std::string::npos);
  EXPECT_NE(FindOverlap(r, {{0, 0, 48, 64}, 80}).find("overlap"), std::string::npos);
}

TEST(ViewChecker, NothingElseMayShareAParentOrAViewWhileLive) {
  auto r = ViewTable();
  EXPECT_NE(FindOverlap(r, {{0, 0, 32, 48}, 80}).find("overlap"), std::string::npos);
  r[3].first_step = r[3].last_step = 3;  // after them: free to reuse the bytes
  r.push_back({16, 3, 3});
  EXPECT_EQ(FindOverlap(r, {{0, 0, 32, 48, 0}, 80}), "");
}

TEST(ViewChecker, AViewMustLieInsideItsParentInBytesAndTime) {
  auto r = ViewTable();
  r[2].view_offset = 40;
  EXPECT_NE(FindOverlap(r, {{0, 0, 40, 64}, 80}).find("no view inside"), std::string::npos);
  r = ViewTable();
  r[0].first_step = 1;
  EXPECT_NE(FindOverlap(r, {{0, 0, 32, 64}, 80}).find("no view inside"), std::string::npos);
}

// Buffer 0: a 64-byte output of 8 rows of 8 bytes; 1 and 2 its columns
// [0, 4) and [4, 8) (two inputs concatenated along the last axis), 32 bytes each.
std::vector<BufferRequest> StridedViewTable() {
  std::vector<BufferRequest> r = {{64, 0, 2}, {32, 0, 2}, {32, 1, 2}};
  for (int i : {1, 2}) r[i].view_of = 0, r[i].view_stride = 8, r[i].view_row = 4;
  r[2].view_offset = 4;
  return r;
}

TEST(ViewChecker, StridedViewsInterleaveOnlyInDisjointColumns) {
  auto r = StridedViewTable();
  EXPECT_EQ(r[1].Extent(), 60);
  EXPECT_EQ(FindOverlap(r, {{0, 0, 4}, 64}), "");
  r[2].view_offset = 2;  // columns [2, 6) share [2, 4) with the first view
  EXPECT_NE(FindOverlap(r, {{0, 0, 2}, 64}).find("overlap"), std::string::npos);
  r = StridedViewTable();
  r[2].view_offset = 6;  // rows [6, 10) would run into the next row
  EXPECT_NE(FindOverlap(r, {{0, 0, 6}, 80}).find("no view inside"), std::string::npos);
  r = StridedViewTable();
  r.push_back({16, 1, 1});  // anything else inside the span while they live
  EXPECT_NE(FindOverlap(r, {{0, 0, 4, 20}, 80}).find("overlap"), std::string::npos);
  EXPECT_EQ(FindOverlap(r, {{0, 0, 4, 64}, 80}), "");
}

TEST(ViewPlanner, PlacesViewsInTheirParentAndCopiesForTheBaseline) {
  const auto r = ViewTable();
  const ArenaPlan plan = PlanWithViews(r, [](const auto& placed) {
    EXPECT_EQ(placed[1].size, 0);
    ArenaPlan p;
    p.offsets = {16, 0, 0, 0};
    p.arena_bytes = 80;
    return p;
  });
  EXPECT_EQ(plan.offsets, (std::vector<int64_t>{16, 16, 48, 0}));
  const auto copying = WithoutViews(r);
  EXPECT_EQ(copying[0].first_step, 2);  // born where the copy runs
  EXPECT_EQ(copying[1].view_of, -1);
}

std::vector<uint8_t> RunOnce(CompiledModel m, const std::vector<uint8_t>& input) {
  auto ex = Executor::Create(std::move(m));
  EXPECT_TRUE(ex.ok()) << ex.status().message();
  EXPECT_TRUE((*ex)->SetInput(0, input).ok());
  EXPECT_TRUE((*ex)->Invoke().ok());
  const auto out = (*ex)->Output(0);
  return {out.begin(), out.end()};
}

TEST(ConcatViews, ConvolutionsWriteIntoTheOutputAndNothingIsCopied) {
  const CompiledModel viewed = testing::CompileConvConcat(true);
  const CompiledModel copying = testing::CompileConvConcat(false);
  const Graph& g = viewed.graph;
  ASSERT_EQ(g.nodes.back().kind, OpKind::kConcatenation);
  const int out = g.nodes.back().outputs[0];
  const int64_t slice = g.tensors[g.nodes.back().inputs[0]].Bytes();
  EXPECT_EQ(viewed.TensorOffset(g.nodes.back().inputs[0]), viewed.TensorOffset(out));
  EXPECT_EQ(viewed.TensorOffset(g.nodes.back().inputs[1]), viewed.TensorOffset(out) + slice);
  EXPECT_LT(viewed.arena_bytes(), copying.arena_bytes());
  RecordProperty("arena_views", static_cast<int>(viewed.arena_bytes()));
  RecordProperty("arena_copying", static_cast<int>(copying.arena_bytes()));
  // The concatenation runs no kernel; the copying one does.
  EXPECT_EQ(ComputeModelStats(viewed).layers.back().kernel, "");
  EXPECT_EQ(ComputeModelStats(copying).layers.back().kernel, "mcunet_concat");
  std::mt19937 rng(3);
  for (int trial = 0; trial < 3; ++trial) {
    const auto input = testing::AsBytes(testing::RandomInt8(rng, 8 * 8 * 4));
    const auto expected = RunOnce(testing::CompileConvConcat(false), input);
    EXPECT_EQ(RunOnce(testing::CompileConvConcat(true), input), expected);
  }
}

// Along the channels: each convolution writes its pixels 32 bytes apart into
// its 16 channels of the output (the 1x1 and the gathering kernels' strided entries).
TEST(ConcatViews, ConvolutionsWriteTheirChannelsIntoTheOutput) {
  const CompiledModel viewed = testing::CompileConvConcat(true, 3);
  const CompiledModel copying = testing::CompileConvConcat(false, 3);
  const Graph& g = viewed.graph;
  const int out = g.nodes.back().outputs[0];
  const int one_by_one = g.nodes.back().inputs[0];
  EXPECT_EQ(viewed.TensorOffset(one_by_one), viewed.TensorOffset(out));
  EXPECT_EQ(viewed.memory.RowStride(one_by_one), 32);
  EXPECT_EQ(viewed.TensorOffset(g.nodes.back().inputs[1]), viewed.TensorOffset(out) + 16);
  EXPECT_EQ(viewed.memory.RowStride(g.nodes.back().inputs[1]), 32);
  EXPECT_LT(viewed.arena_bytes(), copying.arena_bytes());
  RecordProperty("arena_views", static_cast<int>(viewed.arena_bytes()));
  RecordProperty("arena_copying", static_cast<int>(copying.arena_bytes()));
  EXPECT_EQ(ComputeModelStats(viewed).layers.back().kernel, "");
  EXPECT_EQ(ComputeModelStats(viewed).layers[1].kernel.rfind("mcunet_conv2d_im2col", 0), 0u);
  std::mt19937 rng(4);
  for (int trial = 0; trial < 3; ++trial) {
    const auto input = testing::AsBytes(testing::RandomInt8(rng, 8 * 8 * 4));
    EXPECT_EQ(RunOnce(testing::CompileConvConcat(true, 3), input),
              RunOnce(testing::CompileConvConcat(false, 3), input));
  }
}

TEST(ConcatViews, AnInputReadTwiceIsCopied) {
  Graph g = testing::ConvConcatGraph();
  const int a = g.nodes[0].outputs[0];
  g.outputs.push_back(a);  // a graph output too: it must keep its own buffer
  auto m = Compile(std::move(g));
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Node& concat = m->graph.nodes.back();
  EXPECT_NE(m->TensorOffset(a), m->TensorOffset(concat.outputs[0]));
  EXPECT_EQ(ComputeModelStats(*m).layers.back().kernel, "mcunet_concat");
}

}  // namespace
}  // namespace mcunet
