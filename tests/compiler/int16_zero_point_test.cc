// int16 zero points: the reader keeps any the type holds (TFLite's int16
// softmax output has -32768, tests/golden_ops/softmax_i8_to_i16), and Compile
// refuses a non-zero one at any other operator, as TF Lite Micro's int16
// kernels are symmetric, naming the operator and the tensor.
#include <gtest/gtest.h>

#include "compiler/compile.h"
#include "test_data.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

TEST(Int16ZeroPoints, AnAsymmetricInt16ActivationIsRefusedOutsideSoftmaxAndConversions) {
  auto g = ReadTfliteFile(testing::OpsModelPath("add_16x8_relu"));
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_TRUE(Compile(*g).ok());
  const int input = g->nodes[0].inputs[0];
  g->tensors[input].quant.zero_points = {7};
  auto m = Compile(*std::move(g));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("(ADD): tensor 0 "), std::string::npos)
      << m.status().message();
  EXPECT_NE(m.status().message().find("is int16 with zero point 7, expected 0"), std::string::npos)
      << m.status().message();

  auto softmax = ReadTfliteFile(testing::OpsModelPath("softmax_i8_to_i16"));
  ASSERT_TRUE(softmax.ok()) << softmax.status().message();
  EXPECT_EQ(softmax->tensors[softmax->nodes[0].outputs[0]].quant.zero_point(), -32768);
  EXPECT_TRUE(Compile(*softmax).ok());
}

}  // namespace
}  // namespace mcunet
