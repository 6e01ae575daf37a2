// Every case of every model in tests/golden (TF Lite Micro reference kernels)
// must match byte for byte: outputs of all cases, and for case 0 every
// intermediate tensor, checked right after the operator that writes it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

using testing::GoldenDir;
using testing::GoldenModels;
using testing::LoadManifest;
using testing::ModelPath;
using testing::ReadBytes;

// Index of the first differing byte, or -1.
int64_t FirstDifference(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return static_cast<int64_t>(i);
  }
  return -1;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, EveryCaseOutputMatches) {
  const std::string stem = GetParam();
  const auto manifest = LoadManifest(stem);
  auto executor = LoadModel(ModelPath(stem));
  ASSERT_TRUE(executor.ok()) << executor.status().message();
  Executor& ex = **executor;
  for (const auto& c : manifest["cases"]) {
    for (size_t i = 0; i < c["inputs"].size(); ++i) {
      const auto bytes = ReadBytes(GoldenDir(stem) + "/" + c["inputs"][i].get<std::string>());
      ASSERT_TRUE(ex.SetInput(i, bytes).ok());
    }
    const Status s = ex.Invoke();
    ASSERT_TRUE(s.ok()) << s.message();
    for (size_t i = 0; i < c["outputs"].size(); ++i) {
      const auto expected = ReadBytes(GoldenDir(stem) + "/" + c["outputs"][i].get<std::string>());
      EXPECT_EQ(FirstDifference(ex.Output(i), expected), -1)
          << stem << " " << c["name"] << " output " << i;
    }
  }
}

TEST_P(GoldenTest, EveryIntermediateTensorMatches) {
  const std::string stem = GetParam();
  const auto manifest = LoadManifest(stem);
  auto executor = LoadModel(ModelPath(stem));
  ASSERT_TRUE(executor.ok()) << executor.status().message();
  Executor& ex = **executor;
  const auto& c0 = manifest["cases"][0];
  for (size_t i = 0; i < c0["inputs"].size(); ++i) {
    ASSERT_TRUE(ex.SetInput(i, ReadBytes(GoldenDir(stem) + "/" + c0["inputs"][i].get<std::string>())).ok());
  }
  std::map<int, std::string> golden_file;
  for (const auto& t : manifest["tensors"]) golden_file[t["index"].get<int>()] = t["file"];
  int checked = 0;
  const Status s = ex.Invoke([&](size_t step) -> Status {
    const Node& node = ex.graph().nodes[step];
    for (int out : node.outputs) {
      auto it = golden_file.find(out);
      if (it == golden_file.end()) continue;
      const auto expected = ReadBytes(GoldenDir(stem) + "/" + it->second);
      const int64_t diff = FirstDifference(ex.TensorBytes(out), expected);
      ++checked;
      if (diff >= 0) {
        return Status::Error(fmt::format(
            "{}: first mismatch at {} -> {} byte {} (got {}, TFLM {})", stem, NodeLabel(node),
            TensorLabel(ex.graph(), out), diff,
            ex.TensorBytes(out).size() > static_cast<size_t>(diff) ? int(ex.TensorBytes(out)[diff]) : -1,
            expected.size() > static_cast<size_t>(diff) ? int(expected[diff]) : -1));
      }
    }
    return OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  // Every tensor our (optimised) graph writes was compared; folded PADs write none.
  int written = 0;
  for (const Node& node : ex.graph().nodes) written += static_cast<int>(node.outputs.size());
  EXPECT_EQ(checked, written);
  EXPECT_GT(checked, 0);
}

// The same bytes through the command line, as a user runs it.
TEST_P(GoldenTest, CliRunMatches) {
  const std::string stem = GetParam();
  const auto manifest = LoadManifest(stem);
  const auto dir = std::filesystem::temp_directory_path() / ("mcunet_cli_" + stem);
  std::filesystem::create_directories(dir);
  for (const auto& c : manifest["cases"]) {
    std::string cmd = fmt::format("{} run {}", MCUNET_CLI_PATH, ModelPath(stem));
    for (const auto& in : c["inputs"]) cmd += " --input " + GoldenDir(stem) + "/" + in.get<std::string>();
    for (size_t i = 0; i < c["outputs"].size(); ++i) {
      cmd += fmt::format(" --output {}/out{}.bin", dir.string(), i);
    }
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    for (size_t i = 0; i < c["outputs"].size(); ++i) {
      const auto got = ReadBytes(fmt::format("{}/out{}.bin", dir.string(), i));
      const auto expected = ReadBytes(GoldenDir(stem) + "/" + c["outputs"][i].get<std::string>());
      EXPECT_EQ(FirstDifference(got, expected), -1) << stem << " " << c["name"];
    }
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Models, GoldenTest, ::testing::ValuesIn(GoldenModels()),
                         [](const auto& info) { return testing::TestName(info.param); });

}  // namespace
}  // namespace mcunet
