// Graph passes keep results bit-exact: the same inputs through the graph before
// and after each pass give the same bytes.
#include "ir/passes.h"

#include <gtest/gtest.h>

#include "kernels/single_op.h"
#include "runtime/executor.h"
#include "runtime/load_model.h"
#include "test_data.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

std::vector<uint8_t> RunGraph(Graph g, const std::vector<uint8_t>& input) {
  auto ex = Executor::Create(std::move(g));
  EXPECT_TRUE(ex.ok()) << ex.status().message();
  EXPECT_TRUE((*ex)->SetInput(0, input).ok());
  EXPECT_TRUE((*ex)->Invoke().ok());
  auto out = (*ex)->Output(0);
  return {out.begin(), out.end()};
}

// MCUNet's released model pads explicitly before every strided convolution.
TEST(Passes, FoldingPadsKeepsTheModelBitExactAndRemovesEveryPad) {
  auto graph = ReadTfliteFile(testing::ModelPath("mcunet_320kb-1mb_imagenet"));
  ASSERT_TRUE(graph.ok());
  Graph folded = *graph;
  const int folds = FoldPadIntoConvolutions(folded);
  EXPECT_EQ(folds, 54);
  for (const Node& n : folded.nodes) EXPECT_NE(n.kind, OpKind::kPad);
  std::mt19937 rng(3);
  const auto input = testing::AsBytes(testing::RandomInt8(rng, 176 * 176 * 3));
  EXPECT_EQ(RunGraph(folded, input), RunGraph(*graph, input));
}

// person_detect and micro_speech open with a depthwise layer over one channel.
TEST(Passes, DepthwiseOverOneChannelBecomesABitExactConvolution) {
  for (const char* stem : {"tflm_person_detect", "tflm_micro_speech_quantized"}) {
    SCOPED_TRACE(stem);
    auto graph = ReadTfliteFile(testing::ModelPath(stem));
    ASSERT_TRUE(graph.ok());
    Graph rewritten = *graph;
    ASSERT_EQ(DepthwiseOverOneChannelToConv(rewritten), 1);
    size_t at = 0;
    while (graph->nodes[at].kind != OpKind::kDepthwiseConv2D) ++at;
    const Node& first = rewritten.nodes[at];
    EXPECT_EQ(first.kind, OpKind::kConv2D);
    const Tensor& filter = rewritten.tensors[first.inputs[1]];
    EXPECT_EQ(filter.shape[3], 1);
    EXPECT_EQ(filter.quant.quantized_dimension, 0);
    // The original filter's (tap t, channel c) is the new one's (c, t).
    const Tensor& original = graph->tensors[graph->nodes[at].inputs[1]];
    const int taps = original.shape[1] * original.shape[2], out_c = original.shape[3];
    EXPECT_EQ(filter.DataAs<int8_t>()[2 * taps + 1], original.DataAs<int8_t>()[1 * out_c + 2]);
    const Tensor& in = graph->tensors[graph->inputs[0]];
    std::mt19937 rng(4);
    const auto input = testing::AsBytes(testing::RandomInt8(rng, in.NumElements()));
    EXPECT_EQ(RunGraph(rewritten, input), RunGraph(*graph, input));
  }
}

TEST(Passes, PadWithAnotherConsumerIsNotFolded) {
  auto graph = ReadTfliteFile(testing::ModelPath("tinyengine_mcunet_vww"));
  ASSERT_TRUE(graph.ok());
  Graph copy = *graph;
  // Make a PAD output also a graph output: it must then stay.
  for (const Node& n : copy.nodes) {
    if (n.kind == OpKind::kPad) {
      copy.outputs.push_back(n.outputs[0]);
      break;
    }
  }
  const int before = FoldPadIntoConvolutions(*graph);
  const int after = FoldPadIntoConvolutions(copy);
  EXPECT_EQ(after, before - 1);
}

TEST(Passes, IdentityQuantizeIsDroppedOthersKept) {
  testing::SingleOpGraph b;
  const int x = b.AddTensor(DataType::kInt8, {1, 8}, {0.1f}, {3});
  const int same = b.AddTensor(DataType::kInt8, {1, 8}, {0.1f}, {3});
  b.SetNode(OpKind::kQuantize, {x}, {same}, std::monostate{});
  Graph g = b.graph();
  // A second node reading the quantize's output keeps the graph meaningful.
  Tensor out = g.tensors[same];
  out.name = "out";
  g.tensors.push_back(out);
  Node reshape;
  reshape.kind = OpKind::kReshape;
  reshape.index = 1;
  reshape.inputs = {same};
  reshape.outputs = {static_cast<int>(g.tensors.size() - 1)};
  g.nodes.push_back(reshape);
  g.outputs = reshape.outputs;
  Graph dropped = g;
  EXPECT_EQ(DropIdentityQuantize(dropped), 1);
  ASSERT_EQ(dropped.nodes.size(), 1u);
  EXPECT_EQ(dropped.nodes[0].inputs[0], x);
  const std::vector<uint8_t> input = {1, 2, 3, 250, 5, 6, 7, 8};
  EXPECT_EQ(RunGraph(dropped, input), RunGraph(g, input));

  Graph rescaled = g;
  rescaled.tensors[same].quant.scales = {0.2f};
  rescaled.tensors.back().quant.scales = {0.2f};
  EXPECT_EQ(DropIdentityQuantize(rescaled), 0);
}

}  // namespace
}  // namespace mcunet
