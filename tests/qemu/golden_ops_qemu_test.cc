// Every one-operator model of tests/golden_ops through the code generator: the
// generated C built for the host (every case) and for the emulated Cortex-M7
// (case 0), byte for byte against TF Lite Micro's outputs. Inputs and outputs
// are concatenated in order, as the generated harness reads and writes them.
// Label "qemu" (CI runs it; `ctest -L quick` skips it).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

using testing::OpsGoldenDir;
using testing::ReadBytes;

std::vector<uint8_t> Concatenated(const std::string& stem, const nlohmann::json& files) {
  std::vector<uint8_t> bytes;
  for (const auto& f : files) {
    const auto part = ReadBytes(OpsGoldenDir(stem) + "/" + f.get<std::string>());
    bytes.insert(bytes.end(), part.begin(), part.end());
  }
  return bytes;
}

class GoldenOpsGeneratedC : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenOpsGeneratedC, HostAndCortexM7MatchTflm) {
  const std::string stem = GetParam();
  auto ex = LoadModel(testing::OpsModelPath(stem));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  auto files = GenerateCProject((*ex)->model(), CodegenOptions{});
  ASSERT_TRUE(files.ok()) << files.status().message();
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("mcunet_ops_{}", stem);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
  const auto manifest = testing::OpsManifest(stem);
  bool first = true;
  for (const auto& c : manifest["cases"]) {
    const auto input = Concatenated(stem, c["inputs"]);
    const auto expected = Concatenated(stem, c["outputs"]);
    auto host = RunOnHost(dir.string(), "model", input);
    ASSERT_TRUE(host.ok()) << host.status().message();
    EXPECT_EQ(*host, expected) << stem << " " << c["name"] << " on the host";
    if (first) {
      auto m7 = RunOnQemu(dir.string(), "model", "cortex-m7", input, "");
      ASSERT_TRUE(m7.ok()) << m7.status().message();
      EXPECT_EQ(m7->output, expected) << stem << " " << c["name"] << " on cortex-m7";
      first = false;
    }
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Ops, GoldenOpsGeneratedC, ::testing::ValuesIn(testing::OpsGoldenModels()),
                         [](const auto& info) { return testing::TestName(info.param); });

}  // namespace
}  // namespace mcunet
