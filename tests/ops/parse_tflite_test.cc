// Each op file parses its own TFLite options (ParseTflite<Name>, called by the
// reader through the registry): the attributes it reads, and the reader's error
// context ("operator 0 (CONV_2D): ...") around its messages.
#include <gtest/gtest.h>

#include "ops/op.h"
#include "tflite/reader.h"
#include "tflite_subset_generated.h"

namespace mcunet {
namespace {

// A model of one operator `code` reading tensor 0 and writing tensor 1 (both
// int8 [1, 4], no data), with `options` built by the callback (or none).
template <typename MakeOptions>
std::vector<uint8_t> OneOpModel(tflite::BuiltinOperator code, tflite::BuiltinOptions type,
                                MakeOptions make_options) {
  flatbuffers::FlatBufferBuilder b;
  const std::vector<int32_t> shape = {1, 4};
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors = {
      tflite::CreateTensorDirect(b, &shape, tflite::TensorType::INT8, 0, "in"),
      tflite::CreateTensorDirect(b, &shape, tflite::TensorType::INT8, 0, "out")};
  const std::vector<int32_t> inputs = {0}, outputs = {1};
  const flatbuffers::Offset<void> options = make_options(b);
  std::vector<flatbuffers::Offset<tflite::Operator>> ops = {
      tflite::CreateOperatorDirect(b, 0, &inputs, &outputs, type, options)};
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
      tflite::CreateSubGraphDirect(b, &tensors, &inputs, &outputs, &ops, "main")};
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes = {
      tflite::CreateOperatorCode(b, static_cast<int8_t>(code), 0, 1, code)};
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers = {tflite::CreateBuffer(b)};
  b.Finish(tflite::CreateModelDirect(b, 3, &codes, &subgraphs, "one op", &buffers),
           tflite::ModelIdentifier());
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

flatbuffers::Offset<void> NoOptions(flatbuffers::FlatBufferBuilder&) { return 0; }

std::string ErrorOf(const std::vector<uint8_t>& model) {
  auto graph = ReadTfliteModel(model);
  return graph.ok() ? "" : graph.status().message();
}

TEST(ParseTflite, EveryRegisteredOperatorHasAParser) {
#define MCUNET_OP(name, tflite_name, code) \
  EXPECT_NE(GetOpDefinition(OpKind::k##name).parse_tflite, nullptr) << tflite_name;
#include "ir/op_list.def"
#undef MCUNET_OP
}

TEST(ParseTflite, MissingRequiredOptionsNameTheOperatorAndTable) {
  EXPECT_EQ(ErrorOf(OneOpModel(tflite::BuiltinOperator::CONV_2D, tflite::BuiltinOptions::NONE,
                               NoOptions)),
            "operator 0 (CONV_2D): missing Conv2DOptions");
  EXPECT_EQ(ErrorOf(OneOpModel(tflite::BuiltinOperator::MAX_POOL_2D, tflite::BuiltinOptions::NONE,
                               NoOptions)),
            "operator 0 (MAX_POOL_2D): missing Pool2DOptions");
}

TEST(ParseTflite, UnsupportedFusedActivationIsRefused) {
  const auto model =
      OneOpModel(tflite::BuiltinOperator::MUL, tflite::BuiltinOptions::MulOptions,
                 [](flatbuffers::FlatBufferBuilder& b) {
                   return tflite::CreateMulOptions(b, tflite::ActivationFunctionType::TANH).Union();
                 });
  EXPECT_EQ(ErrorOf(model), "operator 0 (MUL): fused activation TANH/SIGN_BIT is not supported");
}

TEST(ParseTflite, ShuffledFullyConnectedWeightsAreRefused) {
  const auto model = OneOpModel(
      tflite::BuiltinOperator::FULLY_CONNECTED, tflite::BuiltinOptions::FullyConnectedOptions,
      [](flatbuffers::FlatBufferBuilder& b) {
        return tflite::CreateFullyConnectedOptions(
                   b, tflite::ActivationFunctionType::NONE,
                   tflite::FullyConnectedOptionsWeightsFormat::SHUFFLED4x16INT8)
            .Union();
      });
  EXPECT_EQ(ErrorOf(model),
            "operator 0 (FULLY_CONNECTED): shuffled weights format is not supported");
}

TEST(ParseTflite, MulReadsItsActivationAndAcceptsMissingOptions) {
  auto graph = ReadTfliteModel(OneOpModel(
      tflite::BuiltinOperator::MUL, tflite::BuiltinOptions::MulOptions,
      [](flatbuffers::FlatBufferBuilder& b) {
        return tflite::CreateMulOptions(b, tflite::ActivationFunctionType::RELU6).Union();
      }));
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  ASSERT_EQ(graph->nodes.size(), 1u);
  EXPECT_EQ(graph->nodes[0].kind, OpKind::kMul);
  EXPECT_EQ(std::get<ElementwiseAttrs>(graph->nodes[0].attrs).activation, Activation::kRelu6);

  // TFLite's parser keeps MUL's defaults when the table is absent; so do we.
  graph = ReadTfliteModel(
      OneOpModel(tflite::BuiltinOperator::MUL, tflite::BuiltinOptions::NONE, NoOptions));
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  EXPECT_EQ(std::get<ElementwiseAttrs>(graph->nodes[0].attrs).activation, Activation::kNone);
}

}  // namespace
}  // namespace mcunet
