// mcunet evaluate on a tiny IDX data set with a known answer: 2x2 grey images,
// three classes, and models built here whose predictions follow by hand (the
// class is the brightest of the first three pixels), so the exact count of
// correct images is known. Then the bad inputs.
#include "runtime/evaluate.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_data.h"
#include "tflite/writer.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;

// A folder of this test's own: ctest runs the tests of this file in parallel.
fs::path TestDir() {
  const fs::path dir = fs::temp_directory_path() /
                       fmt::format("mcunet_evaluate_{}",
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::create_directories(dir);
  return dir;
}

struct Result {
  int exit_code;
  std::string output;  // stdout and stderr
  std::string out;     // stdout only
};

Result RunCli(const std::string& args) {
  const fs::path err = TestDir() / "stderr.txt";
  const std::string cmd = fmt::format("{} {} 2>{}", MCUNET_CLI_PATH, args, err.string());
  Result r{0, "", ""};
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err);
  r.output = r.out + std::string(std::istreambuf_iterator<char>(e), {});
  return r;
}

// The test images: pixels (p0 p1 p2 p3) and label. Prediction = argmax of
// p0..p2 (ties: lowest index); p3 is never looked at.
struct Sample {
  std::array<uint8_t, 4> pixels;
  uint8_t label;
};
const Sample kSamples[] = {
    {{200, 10, 10, 0}, 0},      // right
    {{10, 200, 10, 255}, 1},    // right (p3 ignored)
    {{10, 10, 200, 0}, 2},      // right
    {{128, 128, 128, 128}, 0},  // right: a three-way tie goes to class 0
    {{200, 10, 10, 0}, 2},      // wrong
    {{5, 6, 7, 8}, 1},          // wrong (predicts 2)
    {{0, 255, 254, 0}, 1},      // right: 127 > 126 after - 128
};
constexpr int kCorrect = 5, kImages = 7;

void WriteIdx(const fs::path& path, const std::vector<uint32_t>& dims,
              const std::vector<uint8_t>& data, bool gzip) {
  std::vector<uint8_t> bytes = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<uint8_t>(d >> s));
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  if (gzip) {
    gzFile f = gzopen((path.string() + ".gz").c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
}

// Images gzipped, labels plain: both forms are read.
fs::path WriteTinyDataset() {
  const fs::path dir = TestDir() / "idx";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<uint8_t> pixels, labels;
  for (const Sample& s : kSamples) {
    pixels.insert(pixels.end(), s.pixels.begin(), s.pixels.end());
    labels.push_back(s.label);
  }
  const uint32_t n = kImages;
  for (const char* split : {"train", "t10k"}) {
    WriteIdx(dir / fmt::format("{}-images-idx3-ubyte", split), {n, 2, 2}, pixels, true);
    WriteIdx(dir / fmt::format("{}-labels-idx1-ubyte", split), {n}, labels, false);
  }
  return dir;
}

// Input [1, h, w, c] of `input_type` (float32 goes through a QUANTIZE), RESHAPE
// to [1, h*w*c], FULLY_CONNECTED with one-hot rows: output k = input element
// picks[k]. Every int8 activation has scale 1/255 and zero point -128, so the
// int8 input holds pixel - 128 and so does each output (multiplier exactly 1).
Graph TinyClassifier(int h, int w, int c, const std::vector<int>& picks,
                     DataType input_type = DataType::kInt8) {
  Graph g;
  const auto tensor = [&](DataType type, std::vector<int32_t> shape) {
    Tensor t;
    t.name = "t" + std::to_string(g.tensors.size());
    t.type = type;
    t.shape = std::move(shape);
    if (type == DataType::kInt8) t.quant = {{1.0f / 255.0f}, {-128}, 0};
    g.tensors.push_back(std::move(t));
    return static_cast<int>(g.tensors.size()) - 1;
  };
  const int elements = h * w * c, classes = static_cast<int>(picks.size());
  int image = tensor(input_type, {1, h, w, c});
  g.inputs = {image};
  if (input_type == DataType::kFloat32) {
    const int quantized = tensor(DataType::kInt8, {1, h, w, c});
    g.nodes.push_back({OpKind::kQuantize, 0, {image}, {quantized}, {}});
    image = quantized;
  }
  const int flat = tensor(DataType::kInt8, {1, elements});
  g.nodes.push_back({OpKind::kReshape, static_cast<int>(g.nodes.size()), {image}, {flat}, {}});
  const int weights = tensor(DataType::kInt8, {classes, elements});
  g.tensors[weights].quant = {{1.0f}, {0}, 0};
  g.tensors[weights].is_constant = true;
  g.tensors[weights].data.assign(static_cast<size_t>(classes * elements), 0);
  for (int k = 0; k < classes; ++k) g.tensors[weights].data[k * elements + picks[k]] = 1;
  const int bias = tensor(DataType::kInt32, {classes});
  g.tensors[bias].is_constant = true;
  g.tensors[bias].data.assign(static_cast<size_t>(classes) * 4, 0);
  const int out = tensor(DataType::kInt8, {1, classes});
  g.nodes.push_back({OpKind::kFullyConnected,
                     static_cast<int>(g.nodes.size()),
                     {flat, weights, bias},
                     {out},
                     FullyConnectedAttrs{}});
  g.outputs = {out};
  return g;
}

std::string WriteModel(const Graph& g, const std::string& name) {
  const fs::path path = TestDir() / (name + ".tflite");
  const Status s = WriteTfliteFile(g, path.string());
  EXPECT_TRUE(s.ok()) << s.message();
  return path.string();
}

TEST(Evaluate, KnownAnswerOnATinyIdxSet) {
  const fs::path data = WriteTinyDataset();
  const std::string model = WriteModel(TinyClassifier(2, 2, 1, {0, 1, 2}), "same_size");
  const Result r = RunCli(fmt::format("evaluate {} --dataset {}", model, data.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.out.find("top-1 71.43 % (5 / 7)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("evaluate"), std::string::npos);  // the progress bar on stderr

  const Result j = RunCli(fmt::format("evaluate {} --dataset {} --json", model, data.string()));
  ASSERT_EQ(j.exit_code, 0) << j.output;
  const auto json = nlohmann::json::parse(j.out);  // stdout is the JSON object alone
  EXPECT_EQ(json["model"], model);
  EXPECT_EQ(json["dataset"], data.string());
  EXPECT_EQ(json["images"], kImages);
  EXPECT_EQ(json["correct"], kCorrect);
  EXPECT_DOUBLE_EQ(json["top1"].get<double>(), 5.0 / 7.0);
  EXPECT_EQ(json["input_shape"], (std::vector<int>{1, 2, 2, 1}));
  EXPECT_EQ(json["input_type"], "int8");
  EXPECT_FLOAT_EQ(json["input_scale"].get<float>(), 1.0f / 255.0f);
  EXPECT_EQ(json["input_zero_point"], -128);
  EXPECT_GE(json["seconds"].get<double>(), 0.0);
}

TEST(Evaluate, LimitTakesTheFirstImages) {
  const fs::path data = WriteTinyDataset();
  const std::string model = WriteModel(TinyClassifier(2, 2, 1, {0, 1, 2}), "limit");
  const Result r =
      RunCli(fmt::format("evaluate {} --dataset {} --limit 5 --json", model, data.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["images"], 5);
  EXPECT_EQ(json["correct"], 4);
  // A limit above the set's size evaluates them all.
  const Result all =
      RunCli(fmt::format("evaluate {} --dataset {} --limit 1000 --json", model, data.string()));
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_EQ(nlohmann::json::parse(all.out)["images"], kImages);
}

TEST(Evaluate, ResizedAndReplicatedInputsGiveTheSameAnswer) {
  const fs::path data = WriteTinyDataset();
  // 2x2 -> 4x4 keeps the corners: p0, p1, p2 land at (0,0), (0,3), (3,0).
  const std::string larger = WriteModel(TinyClassifier(4, 4, 1, {0, 3, 12}), "resized");
  // Grey -> 3 channels: channel k of pixel k.
  const std::string colour = WriteModel(TinyClassifier(2, 2, 3, {0, 4, 8}), "colour");
  for (const std::string& model : {larger, colour}) {
    const Result r = RunCli(fmt::format("evaluate {} --dataset {} --json", model, data.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], kCorrect) << model;
  }
}

TEST(Evaluate, FloatInputTakesPixelOver255) {
  const fs::path dir = WriteTinyDataset();
  auto data = ReadIdxImageSet((dir / "t10k-images-idx3-ubyte.gz").string(),
                              (dir / "t10k-labels-idx1-ubyte").string());
  ASSERT_TRUE(data.ok()) << data.status().message();
  auto ex = Executor::Create(TinyClassifier(2, 2, 1, {0, 1, 2}, DataType::kFloat32));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  auto e = EvaluateClassifier(**ex, *data, 3);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->correct, kCorrect);
  EXPECT_EQ(e->input.type, DataType::kFloat32);
}

TEST(Evaluate, ImageInputOfRefusesNonImageInputs) {
  Graph g = TinyClassifier(2, 2, 1, {0, 1, 2});
  g.tensors[g.inputs[0]].type = DataType::kInt16;
  auto input = ImageInputOf(g);
  ASSERT_FALSE(input.ok());
  EXPECT_NE(input.status().message().find("int16"), std::string::npos);
  g.tensors[g.inputs[0]].shape = {4};
  EXPECT_NE(ImageInputOf(g).status().message().find("not an image"), std::string::npos);
}

TEST(Evaluate, HelpStatesTheInputConvention) {
  const Result r = RunCli("evaluate --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("--dataset"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("align_corners=false"), std::string::npos) << r.output;
  EXPECT_NE(RunCli("--help").output.find("evaluate"), std::string::npos);
}

TEST(Evaluate, ClassCountMismatchNamesBoth) {
  const fs::path data = WriteTinyDataset();
  const std::string model = WriteModel(TinyClassifier(2, 2, 1, {0, 1, 2, 3}), "four");
  const Result r = RunCli(fmt::format("evaluate {} --dataset {}", model, data.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("has 4 elements"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 classes"), std::string::npos) << r.output;
  // person_detect: two outputs for three classes, and 96x96 from 2x2 images.
  const Result p = RunCli(fmt::format("evaluate {} --dataset {}",
                                      testing::ModelPath("tflm_person_detect"), data.string()));
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_NE(p.output.find("has 2 elements"), std::string::npos) << p.output;
}

TEST(Evaluate, BadInputIsOneErrorLineAndExitOne) {
  const fs::path data = WriteTinyDataset();
  const std::string model = WriteModel(TinyClassifier(2, 2, 1, {0, 1, 2}), "errors");
  const fs::path corrupt = TestDir() / "corrupt.tflite";
  std::ofstream(corrupt, std::ios::binary) << "not a flatbuffer at all, just text";
  const fs::path empty_dir = TestDir() / "empty";
  fs::create_directories(empty_dir);
  // A data set whose test images are cut short.
  const fs::path broken = TestDir() / "broken";
  fs::remove_all(broken);
  fs::copy(data, broken);
  fs::remove(broken / "t10k-images-idx3-ubyte.gz");
  WriteIdx(broken / "t10k-images-idx3-ubyte", {kImages, 2, 2}, {1, 2, 3, 4}, false);
  struct Case {
    std::string args, says;
  };
  const Case cases[] = {
      {fmt::format("/nonexistent/m.tflite --dataset {}", data.string()), "/nonexistent/m.tflite"},
      {fmt::format("{} --dataset {}", empty_dir.string(), data.string()), empty_dir.string()},
      {fmt::format("{} --dataset {}", corrupt.string(), data.string()), corrupt.string()},
      {fmt::format("{} --dataset /nonexistent/data", model), "/nonexistent/data"},
      {fmt::format("{} --dataset {}", model, empty_dir.string()), "no train-images-idx3-ubyte"},
      {fmt::format("{} --dataset {}", model, broken.string()), "holds 4 data bytes"},
      {fmt::format("{} --dataset {} --limit 0", model, data.string()), "--limit 0"},
  };
  for (const Case& c : cases) {
    const Result r = RunCli("evaluate " + c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args << "\n" << r.output;
    EXPECT_EQ(r.output.rfind("error: ", 0), 0u) << c.args << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << c.args << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << c.args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace mcunet
