// The reader against hand-built models (one knob broken at a time) and a
// generated corpus of damaged real models: every bad input is an error naming
// what and where, never a crash (this suite also runs under ASan and UBSan).
#include "tflite/reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

#include "runtime/executor.h"
#include "runtime/load_model.h"
#include "test_data.h"
#include "tflite_subset_generated.h"

namespace mcunet {
namespace {

using testing::ModelPath;
using testing::ReadBytes;

// A one-layer FULLY_CONNECTED model [1,4] x [3,4]^T + bias -> [1,3], built with
// the generated flatbuffers API; each field can be broken for a test.
struct TinyModel {
  std::vector<int32_t> in_shape = {1, 4};
  std::vector<int32_t> weight_shape = {3, 4};
  std::vector<uint8_t> weights = {1, 2, 3, 4, 255, 254, 253, 252, 0, 1, 0, 1};  // int8 bytes
  std::vector<uint8_t> bias_bytes = std::vector<uint8_t>(12, 0);
  std::vector<float> in_scale = {0.5f};
  std::vector<int64_t> in_zero_point = {0};
  std::vector<float> weight_scale = {0.25f};
  int32_t weight_qdim = 0;
  std::vector<int32_t> op_inputs = {0, 1, 2};
  int32_t builtin = static_cast<int32_t>(tflite::BuiltinOperator::FULLY_CONNECTED);
  uint32_t weight_buffer = 1;
  int32_t tensor_type_of_input = static_cast<int32_t>(tflite::TensorType::INT8);
  std::vector<int32_t> more_builtins;  // operators appended after the first (never run)
  int variable_tensor = -1;            // this tensor is marked is_variable (state)

  std::vector<uint8_t> Build() const {
    flatbuffers::FlatBufferBuilder b;
    const std::vector<int64_t> zero = {0};
    const std::vector<float> out_scale = {1.0f};
    const std::vector<float> bias_scale = {0.125f};
    std::vector<int64_t> w_zp(weight_scale.size(), 0);
    auto q_in =
        tflite::CreateQuantizationParametersDirect(b, nullptr, nullptr, &in_scale, &in_zero_point);
    auto q_w = tflite::CreateQuantizationParametersDirect(b, nullptr, nullptr, &weight_scale, &w_zp,
                                                          tflite::QuantizationDetails::NONE, 0,
                                                          weight_qdim);
    auto q_b = tflite::CreateQuantizationParametersDirect(b, nullptr, nullptr, &bias_scale, &zero);
    auto q_out = tflite::CreateQuantizationParametersDirect(b, nullptr, nullptr, &out_scale, &zero);
    const std::vector<int32_t> bias_shape = {3}, out_shape = {1, 3};
    std::vector<flatbuffers::Offset<tflite::Tensor>> tensors = {
        tflite::CreateTensorDirect(b, &in_shape,
                                   static_cast<tflite::TensorType>(tensor_type_of_input), 0,
                                   "input", q_in, variable_tensor == 0),
        tflite::CreateTensorDirect(b, &weight_shape, tflite::TensorType::INT8, weight_buffer,
                                   "weights", q_w, variable_tensor == 1),
        tflite::CreateTensorDirect(b, &bias_shape, tflite::TensorType::INT32, 2, "bias", q_b,
                                   variable_tensor == 2),
        tflite::CreateTensorDirect(b, &out_shape, tflite::TensorType::INT8, 0, "output", q_out,
                                   variable_tensor == 3)};
    const std::vector<int32_t> outputs = {3}, inputs = {0};
    auto options = tflite::CreateFullyConnectedOptions(b).Union();
    std::vector<flatbuffers::Offset<tflite::Operator>> ops = {tflite::CreateOperatorDirect(
        b, 0, &op_inputs, &outputs, tflite::BuiltinOptions::FullyConnectedOptions, options)};
    for (size_t k = 0; k < more_builtins.size(); ++k) {
      ops.push_back(
          tflite::CreateOperatorDirect(b, static_cast<uint32_t>(k + 1), &outputs, &outputs));
    }
    std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
        tflite::CreateSubGraphDirect(b, &tensors, &inputs, &outputs, &ops, "main")};
    const int8_t small_code = static_cast<int8_t>(std::min(builtin, 127));
    std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes = {
        tflite::CreateOperatorCodeDirect(b, small_code, nullptr, 1,
                                         static_cast<tflite::BuiltinOperator>(builtin))};
    for (int32_t code : more_builtins) {
      codes.push_back(tflite::CreateOperatorCodeDirect(b, static_cast<int8_t>(std::min(code, 127)),
                                                       nullptr, 1,
                                                       static_cast<tflite::BuiltinOperator>(code)));
    }
    std::vector<flatbuffers::Offset<tflite::Buffer>> buffers = {
        tflite::CreateBufferDirect(b), tflite::CreateBufferDirect(b, &weights),
        tflite::CreateBufferDirect(b, &bias_bytes)};
    b.Finish(tflite::CreateModelDirect(b, 3, &codes, &subgraphs, "tiny", &buffers),
             tflite::ModelIdentifier());
    return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
  }
};

std::string ErrorOf(const std::vector<uint8_t>& bytes) {
  auto graph = ReadTfliteModel(bytes);
  if (!graph.ok()) return graph.status().message();
  auto ex = Executor::Create(std::move(graph).value());
  return ex.ok() ? "" : ex.status().message();
}

TEST(Reader, TinyModelRunsAndComputesTheDotProducts) {
  auto graph = ReadTfliteModel(TinyModel().Build());
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  auto ex = Executor::Create(std::move(graph).value());
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const std::vector<uint8_t> in = {2, 4, 6, 8};  // int8 2, 4, 6, 8
  ASSERT_TRUE((*ex)->SetInput(0, in).ok());
  ASSERT_TRUE((*ex)->Invoke().ok());
  // Real: x = q * 0.5, w = q * 0.25, y = x.w in units of 1.0:
  // row 0: (2+8+18+32)*0.125 = 7.5 -> 8; row 1: -(2+8+18+32)*0.125... = -7.5 -> -8;
  // row 2: (4+8)*0.125 = 1.5 -> 2 (ties away from zero).
  const auto out = (*ex)->Output(0);
  EXPECT_EQ(static_cast<int8_t>(out[0]), 8);
  EXPECT_EQ(static_cast<int8_t>(out[1]), -8);
  EXPECT_EQ(static_cast<int8_t>(out[2]), 2);
}

TEST(Reader, WrongBufferSizeNamesTensorAndSizes) {
  TinyModel m;
  m.weights.pop_back();
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("tensor 1 'weights'"), std::string::npos) << e;
  EXPECT_NE(e.find("holds 11 bytes"), std::string::npos) << e;
}

TEST(Reader, HugeDimensionsAreRefusedWithoutOverflow) {
  TinyModel m;
  m.in_shape = {std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::max()};
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("tensor 0 'input'"), std::string::npos) << e;
  EXPECT_NE(e.find("larger than"), std::string::npos) << e;
}

TEST(Reader, NegativeDimensionIsRefused) {
  TinyModel m;
  m.in_shape = {1, -4};
  EXPECT_NE(ErrorOf(m.Build()).find("negative dimension"), std::string::npos);
}

TEST(Reader, NanScaleIsRefused) {
  TinyModel m;
  m.in_scale = {std::numeric_limits<float>::quiet_NaN()};
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("scale[0] = nan"), std::string::npos) << e;
}

TEST(Reader, ZeroActivationScaleIsRefused) {
  TinyModel m;
  m.in_scale = {0.0f};
  EXPECT_NE(ErrorOf(m.Build()).find("not finite and positive"), std::string::npos);
}

TEST(Reader, ZeroPointOutOfInt8RangeIsRefused) {
  TinyModel m;
  m.in_zero_point = {300};
  EXPECT_NE(ErrorOf(m.Build()).find("zero_point[0] = 300 outside [-128, 127]"), std::string::npos);
}

TEST(Reader, PerChannelCountMustMatchTheQuantizedDimension) {
  TinyModel m;
  m.weight_scale = {0.25f, 0.25f};  // 2 scales for 3 output channels
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("2 per-channel scales for dimension 0 of size 3"), std::string::npos) << e;
}

TEST(Reader, TensorIndexOutOfRangeNamesTheOperator) {
  TinyModel m;
  m.op_inputs = {0, 99, 2};
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("operator 0 (FULLY_CONNECTED): input: tensor index 99 out of range"),
            std::string::npos)
      << e;
}

TEST(Reader, BufferIndexOutOfRangeIsRefused) {
  TinyModel m;
  m.weight_buffer = 40;
  EXPECT_NE(ErrorOf(m.Build()).find("buffer index 40 out of range"), std::string::npos);
}

TEST(Reader, WrongInputTypeNamesOperatorAndTensor) {
  TinyModel m;
  m.tensor_type_of_input = static_cast<int32_t>(tflite::TensorType::FLOAT32);
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(
      e.find("operator 0 (FULLY_CONNECTED): input 0 (tensor 0 'input') is float32, expected int8"),
      std::string::npos)
      << e;
}

TEST(Reader, UnsupportedBuiltinIsNamed) {
  TinyModel m;
  m.builtin = static_cast<int32_t>(tflite::BuiltinOperator::GELU);  // > 127: extended code field
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("operator 0 (GELU) is not supported"), std::string::npos) << e;
}

// Every missing operator at once, grouped by kind with its indices.
TEST(Reader, SeveralUnsupportedOperatorsAreListedInOneError) {
  TinyModel m;
  m.builtin = static_cast<int32_t>(tflite::BuiltinOperator::BATCH_MATMUL);
  m.more_builtins = {static_cast<int32_t>(tflite::BuiltinOperator::RNN),
                     static_cast<int32_t>(tflite::BuiltinOperator::BATCH_MATMUL),
                     static_cast<int32_t>(tflite::BuiltinOperator::FULLY_CONNECTED)};
  const std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("3 operators are not supported: BATCH_MATMUL (operators 0, 2), RNN "
                   "(operator 1); supported operators: "),
            std::string::npos)
      << e;
}

TEST(Reader, CustomOperatorModelIsRefusedNamingTheOperatorAndIndex) {
  auto ex = LoadModel(testing::SourcePath("models/unsupported/detection_postprocess.tflite"));
  ASSERT_FALSE(ex.ok());
  const std::string e = ex.status().message();
  EXPECT_NE(e.find("detection_postprocess.tflite: operator 0 (CUSTOM "
                   "'TFLite_Detection_PostProcess') is not supported"),
            std::string::npos)
      << e;
}

// Variable tensors (state): kept as such; refused where state cannot be.
TEST(Reader, VariableTensorsAreKeptAndRefusedOutsideAnOperatorsInputs) {
  auto graph = ReadTfliteFile(testing::SourcePath("tests/golden_ops/models/svdf_rank1.tflite"));
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  for (size_t i = 0; i < graph->tensors.size(); ++i) {
    EXPECT_EQ(graph->tensors[i].is_variable, i == 4) << i;  // activation_state
  }
  EXPECT_FALSE(graph->tensors[4].is_constant);
  TinyModel m;
  m.variable_tensor = 3;
  std::string e = ErrorOf(m.Build());
  EXPECT_NE(e.find("operator 0 (FULLY_CONNECTED): output tensor 3 'output' is a variable tensor"),
            std::string::npos)
      << e;
  m.variable_tensor = 0;
  e = ErrorOf(m.Build());
  EXPECT_NE(e.find("subgraph input tensor 0 'input' is a variable tensor"), std::string::npos) << e;
  // A variable's buffer bytes are not constant data: the weights marked as state
  // are no constant, and FULLY_CONNECTED refuses them as weights.
  m.variable_tensor = 1;
  e = ErrorOf(m.Build());
  EXPECT_NE(e.find("operator 0 (FULLY_CONNECTED): input 1 (tensor 1 'weights') must be a constant"),
            std::string::npos)
      << e;
}

TEST(Reader, NotAFlatbufferIsRefused) {
  const std::string text = "this is a text file, not a model";
  EXPECT_NE(ErrorOf({text.begin(), text.end()}).find("not a TFLite model"), std::string::npos);
  EXPECT_NE(ErrorOf({}).find("too short"), std::string::npos);
}

TEST(Reader, MissingFileIsNamed) {
  auto ex = LoadModel("/nonexistent/model.tflite");
  ASSERT_FALSE(ex.ok());
  EXPECT_EQ(ex.status().message(), "/nonexistent/model.tflite: no such file");
}

// Truncating a real model anywhere must give an error: the verifier sees the
// missing bytes.
TEST(ReaderCorpus, TruncationsAtManyOffsetsAreErrors) {
  for (const char* stem :
       {"tflm_hello_world_int8", "mlperf_tiny_kws_dscnn_int8", "tflm_person_detect"}) {
    const auto bytes = ReadBytes(ModelPath(stem));
    const size_t step = std::max<size_t>(1, bytes.size() / 300);
    int errors = 0;
    for (size_t cut = 0; cut < bytes.size(); cut += step) {
      const std::vector<uint8_t> part(bytes.begin(), bytes.begin() + cut);
      EXPECT_FALSE(ReadTfliteModel(part).ok()) << stem << " cut at " << cut;
      ++errors;
    }
    EXPECT_GT(errors, 100);
  }
}

// Random byte flips: most give errors; those that still parse must prepare and
// run without crashing (sanitizers watch), whatever they compute.
TEST(ReaderCorpus, RandomByteFlipsNeverCrash) {
  std::mt19937 rng(1234);
  int parsed = 0, refused = 0;
  for (const char* stem :
       {"tflm_hello_world_int8", "tflm_micro_speech_quantized", "mlperf_tiny_kws_dscnn_int8"}) {
    const auto original = ReadBytes(ModelPath(stem));
    for (int trial = 0; trial < 300; ++trial) {
      auto bytes = original;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f)
        bytes[rng() % bytes.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      auto graph = ReadTfliteModel(bytes);
      if (!graph.ok()) {
        EXPECT_FALSE(graph.status().message().empty());
        ++refused;
        continue;
      }
      int64_t activations = 0;
      for (const auto& t : graph->tensors) activations += t.is_constant ? 0 : t.Bytes();
      auto ex = Executor::Create(std::move(graph).value());
      if (ex.ok() && activations < (16 << 20)) (void)(*ex)->Invoke();
      ++parsed;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_EQ(parsed + refused, 900);
}

// Inputs the fuzzer found (make fuzz): each is read without undefined behaviour
// (this suite runs under UBSan) and either refused with a message or runnable.
TEST(ReaderCorpus, FuzzerFindingsAreReadSafely) {
  int files = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(testing::SourcePath("tests/tflite/regressions"))) {
    ++files;
    auto graph = ReadTfliteModel(ReadBytes(e.path().string()));
    if (!graph.ok()) {
      EXPECT_FALSE(graph.status().message().empty()) << e.path();
      continue;
    }
    auto ex = Executor::Create(std::move(graph).value());
    if (ex.ok()) (void)(*ex)->Invoke();
  }
  EXPECT_GE(files, 1);
}

}  // namespace
}  // namespace mcunet
