// The TFLite writer: every model in models/ read, written and read again gives
// the same graph and TF Lite Micro's golden outputs; the compiled graph (PAD
// folded, operators reordered) written and read back still gives them; the file
// says what the public schema says (identifier, version, both operator-code
// fields, aligned buffers).
#include "tflite/writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "compiler/compile_file.h"
#include "runtime/executor.h"
#include "test_data.h"
#include "tflite/reader.h"
#include "tflite_subset_generated.h"

namespace mcunet {
namespace {

using testing::GoldenDir;
using testing::ModelPath;
using testing::ReadBytes;

void ExpectSameGraph(const Graph& a, const Graph& b) {
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const Tensor &x = a.tensors[i], &y = b.tensors[i];
    EXPECT_EQ(x.name, y.name) << i;
    EXPECT_EQ(x.type, y.type) << i;
    EXPECT_EQ(x.shape, y.shape) << i;
    EXPECT_EQ(x.is_constant, y.is_constant) << i;
    EXPECT_EQ(x.is_variable, y.is_variable) << i;
    EXPECT_EQ(x.data, y.data) << i;
    EXPECT_EQ(x.quant.scales, y.quant.scales) << i;
    EXPECT_EQ(x.quant.zero_points, y.quant.zero_points) << i;
    if (x.quant.per_channel()) {
      EXPECT_EQ(x.quant.quantized_dimension, y.quant.quantized_dimension) << i;
    }
  }
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].kind, b.nodes[i].kind) << i;
    EXPECT_EQ(a.nodes[i].inputs, b.nodes[i].inputs) << i;
    EXPECT_EQ(a.nodes[i].outputs, b.nodes[i].outputs) << i;
    EXPECT_TRUE(a.nodes[i].attrs == b.nodes[i].attrs) << NodeLabel(a.nodes[i]);
  }
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_EQ(a.outputs, b.outputs);
}

// Runs every golden case of `stem` through `graph` (compiled as given).
void ExpectGoldenOutputs(Graph graph, const std::string& stem) {
  CompileOptions options;
  options.optimize = false;
  auto model = Compile(std::move(graph), options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  auto ex = Executor::Create(std::move(model).value());
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const auto manifest = testing::LoadManifest(stem);
  for (const auto& c : manifest["cases"]) {
    for (size_t i = 0; i < c["inputs"].size(); ++i) {
      ASSERT_TRUE(
          (*ex)
              ->SetInput(i, ReadBytes(GoldenDir(stem) + "/" + c["inputs"][i].get<std::string>()))
              .ok());
    }
    ASSERT_TRUE((*ex)->Invoke().ok());
    for (size_t i = 0; i < c["outputs"].size(); ++i) {
      const auto out = (*ex)->Output(i);
      EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.end()),
                ReadBytes(GoldenDir(stem) + "/" + c["outputs"][i].get<std::string>()))
          << stem << " " << c["name"];
    }
  }
}

class WriterRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(WriterRoundTrip, ReadWriteReadGivesTheSameGraphAndGoldenOutputs) {
  auto graph = ReadTfliteFile(ModelPath(GetParam()));
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  auto bytes = WriteTfliteModel(*graph);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto again = ReadTfliteModel(*bytes);
  ASSERT_TRUE(again.ok()) << again.status().message();
  ExpectSameGraph(*graph, *again);
  ExpectGoldenOutputs(std::move(again).value(), GetParam());
}

TEST_P(WriterRoundTrip, CompiledGraphWrittenAndReadBackGivesGoldenOutputs) {
  auto model = CompileTfliteFile(ModelPath(GetParam()));
  ASSERT_TRUE(model.ok()) << model.status().message();
  auto bytes = WriteTfliteModel(model->graph);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto again = ReadTfliteModel(*bytes);
  ASSERT_TRUE(again.ok()) << again.status().message();
  ExpectGoldenOutputs(std::move(again).value(), GetParam());
}

TEST_P(WriterRoundTrip, FileFollowsThePublicSchema) {
  auto graph = ReadTfliteFile(ModelPath(GetParam()));
  ASSERT_TRUE(graph.ok());
  auto bytes = WriteTfliteModel(*graph);
  ASSERT_TRUE(bytes.ok());
  ASSERT_TRUE(flatbuffers::BufferHasIdentifier(bytes->data(), "TFL3"));
  flatbuffers::Verifier verifier(bytes->data(), bytes->size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
  const tflite::Model& m = *tflite::GetModel(bytes->data());
  EXPECT_EQ(m.version(), 3u);
  ASSERT_GT(m.buffers()->size(), 0u);
  EXPECT_EQ(m.buffers()->Get(0)->data(), nullptr);  // the empty sentinel
  for (const tflite::Buffer* b : *m.buffers()) {
    if (b->data() && b->data()->size() > 0) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(b->data()->data()) % 16,
                reinterpret_cast<uintptr_t>(bytes->data()) % 16);
    }
  }
  for (const tflite::OperatorCode* c : *m.operator_codes()) {
    const int32_t code = static_cast<int32_t>(c->builtin_code());
    EXPECT_EQ(c->deprecated_builtin_code(), std::min(code, 127));
    EXPECT_EQ(c->version(), 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, WriterRoundTrip, ::testing::ValuesIn(testing::GoldenModels()),
                         [](const auto& info) { return testing::TestName(info.param); });

// Every one-operator model of tests/golden_ops: the same graph back, and the
// options table the converter wrote (type) written again.
TEST(Writer, EveryGoldenOpsModelRoundTripsWithItsOptionsTable) {
  int models = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(testing::SourcePath("tests/golden_ops/models"))) {
    if (e.path().extension() != ".tflite") continue;
    SCOPED_TRACE(e.path().filename().string());
    const std::vector<uint8_t> original = ReadBytes(e.path().string());
    auto graph = ReadTfliteModel(original);
    ASSERT_TRUE(graph.ok()) << graph.status().message();
    auto bytes = WriteTfliteModel(*graph);
    ASSERT_TRUE(bytes.ok()) << bytes.status().message();
    auto again = ReadTfliteModel(*bytes);
    ASSERT_TRUE(again.ok()) << again.status().message();
    ExpectSameGraph(*graph, *again);
    const auto options_type = [](const std::vector<uint8_t>& file) {
      return tflite::GetModel(file.data())
          ->subgraphs()
          ->Get(0)
          ->operators()
          ->Get(0)
          ->builtin_options_type();
    };
    // The collection's generator wrote QUANTIZE and DEQUANTIZE without their
    // (empty) options tables; TFLite's converter writes them
    // (models/tinyengine_mcunet_vww.tflite), as we do.
    const OpKind kind = graph->nodes[0].kind;
    EXPECT_EQ(options_type(*bytes),
              kind == OpKind::kQuantize     ? tflite::BuiltinOptions::QuantizeOptions
              : kind == OpKind::kDequantize ? tflite::BuiltinOptions::DequantizeOptions
                                            : options_type(original));
    ++models;
  }
  EXPECT_GT(models, 20);
}

// An int16 ADD runs TF Lite Micro's general scheme (it never reads
// pot_scale_int16); the file says pot_scale_int16 = false, so that TFLite,
// which would take its power-of-two path on true (the default), computes the same.
TEST(Writer, Int16AddSaysGeneralScaling) {
  auto graph = ReadTfliteFile(testing::SourcePath("tests/golden_ops/models/add_16x8_relu.tflite"));
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  auto bytes = WriteTfliteModel(*graph);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  const auto* op = tflite::GetModel(bytes->data())->subgraphs()->Get(0)->operators()->Get(0);
  ASSERT_NE(op->builtin_options_as_AddOptions(), nullptr);
  EXPECT_FALSE(op->builtin_options_as_AddOptions()->pot_scale_int16());
}

TEST(Writer, ExplicitPaddingNeitherSameNorValidBecomesPad) {
  // The arch builder pads PyTorch-style (k/2 on every side); at stride 2 on an
  // even input that is not TFLite's SAME (which pads after only).
  Graph g;
  const auto tensor = [&](DataType type, std::vector<int32_t> shape, bool constant) {
    Tensor t;
    t.name = "t" + std::to_string(g.tensors.size());
    t.type = type;
    t.shape = std::move(shape);
    t.is_constant = constant;
    if (type == DataType::kInt8) t.quant = {{0.5f}, {3}, 0};
    if (constant) t.data.assign(static_cast<size_t>(t.Bytes()), 1);
    g.tensors.push_back(std::move(t));
    return static_cast<int>(g.tensors.size()) - 1;
  };
  const int in = tensor(DataType::kInt8, {1, 8, 8, 2}, false);
  const int filter = tensor(DataType::kInt8, {4, 3, 3, 2}, true);
  g.tensors[filter].quant = {{0.25f}, {0}, 0};
  const int bias = tensor(DataType::kInt32, {4}, true);
  g.tensors[bias].data.assign(16, 0);
  const int out = tensor(DataType::kInt8, {1, 4, 4, 4}, false);
  ConvAttrs a;
  a.padding = Padding::kExplicit;
  a.stride_h = a.stride_w = 2;
  a.pad_top = a.pad_bottom = a.pad_left = a.pad_right = 1;
  g.nodes.push_back({OpKind::kConv2D, 0, {in, filter, bias}, {out}, a});
  g.inputs = {in};
  g.outputs = {out};

  auto bytes = WriteTfliteModel(g);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto back = ReadTfliteModel(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->nodes.size(), 2u);
  EXPECT_EQ(back->nodes[0].kind, OpKind::kPad);
  EXPECT_EQ(std::get<ConvAttrs>(back->nodes[1].attrs).padding, Padding::kValid);

  // Same outputs as the explicit-padding graph, on a ramp input.
  std::vector<uint8_t> input(128);
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<uint8_t>(i * 7);
  std::vector<std::vector<uint8_t>> outputs;
  for (Graph* graph : {&g, &back.value()}) {
    auto ex = Executor::Create(*graph);
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    ASSERT_TRUE((*ex)->SetInput(0, input).ok());
    ASSERT_TRUE((*ex)->Invoke().ok());
    outputs.emplace_back((*ex)->Output(0).begin(), (*ex)->Output(0).end());
  }
  EXPECT_EQ(outputs[0], outputs[1]);

  // At stride 1 the same padding is SAME: no PAD is added.
  a.stride_h = a.stride_w = 1;
  g.nodes[0].attrs = a;
  g.tensors[out].shape = {1, 8, 8, 4};
  auto same = ReadTfliteModel(*WriteTfliteModel(g));
  ASSERT_TRUE(same.ok()) << same.status().message();
  ASSERT_EQ(same->nodes.size(), 1u);
  EXPECT_EQ(std::get<ConvAttrs>(same->nodes[0].attrs).padding, Padding::kSame);
}

}  // namespace
}  // namespace mcunet
