// TFLite writes -1 for an omitted optional input, and a corrupt or hostile file
// can write it anywhere. Omitting any one input of any operator of every shipped
// and one-operator model must give a plan or an error naming the operator, never
// a read through index -1 (the sanitizer build and the fuzzer would trip on it).
#include <gtest/gtest.h>

#include "compiler/compile.h"
#include "test_data.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

// Returns how many inputs it omitted.
int OmitEachInputInTurn(const std::string& path) {
  int omitted = 0;
  const auto bytes = testing::ReadBytes(path);
  auto graph = ReadTfliteModel(bytes);
  EXPECT_TRUE(graph.ok()) << path << ": " << graph.status().message();
  if (!graph.ok()) return 0;
  for (size_t n = 0; n < graph->nodes.size(); ++n) {
    for (size_t i = 0; i < graph->nodes[n].inputs.size(); ++i) {
      if (graph->nodes[n].inputs[i] < 0) continue;
      Graph broken = *graph;
      broken.nodes[n].inputs[i] = -1;
      ++omitted;
      auto compiled = Compile(std::move(broken));
      if (!compiled.ok()) {
        EXPECT_NE(compiled.status().message().find(NodeLabel(graph->nodes[n])), std::string::npos)
            << path << ": node " << n << " input " << i << ": " << compiled.status().message();
      }
    }
  }
  return omitted;
}

TEST(OmittedInputs, ShippedModelsNeverReadIndexMinusOne) {
  int omitted = 0;
  for (const auto& stem : testing::GoldenModels()) {
    SCOPED_TRACE(stem);
    omitted += OmitEachInputInTurn(testing::ModelPath(stem));
  }
  EXPECT_GT(omitted, 500);
}

TEST(OmittedInputs, OneOperatorModelsNeverReadIndexMinusOne) {
  int omitted = 0;
  for (const auto& stem : testing::OpsGoldenModels()) {
    SCOPED_TRACE(stem);
    omitted += OmitEachInputInTurn(testing::OpsModelPath(stem));
  }
  EXPECT_GT(omitted, 150);
}

}  // namespace
}  // namespace mcunet
