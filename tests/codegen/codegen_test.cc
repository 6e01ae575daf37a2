// The generated C project, built with the host compiler and run: every case of
// every golden model byte for byte, warning-free under -Wall -Wextra -Werror,
// clean under AddressSanitizer and UBSan, and deterministic.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "codegen/c_project.h"
#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

using testing::GoldenDir;
using testing::ModelPath;
using testing::ReadBytes;

std::filesystem::path Generate(const std::string& stem, const std::string& tag) {
  auto ex = LoadModel(ModelPath(stem));
  EXPECT_TRUE(ex.ok()) << ex.status().message();
  CodegenOptions o;
  o.name = "net";
  o.source_description = stem;
  auto files = GenerateCProject((*ex)->model(), o);
  EXPECT_TRUE(files.ok()) << files.status().message();
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("mcunet_cg_{}_{}", tag, stem);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(WriteProject(dir.string(), *files).ok());
  return dir;
}

void BuildAndCompare(const std::string& stem, const std::string& tag, const std::string& cflags) {
  const auto dir = Generate(stem, tag);
  const std::string build = fmt::format("make -s -C {} host CFLAGS='{}' > {}/build.log 2>&1",
                                        dir.string(), cflags, dir.string());
  ASSERT_EQ(std::system(build.c_str()), 0) << build << "\n" << dir.string() << "/build.log";
  const auto manifest = testing::LoadManifest(stem);
  for (const auto& c : manifest["cases"]) {
    ASSERT_EQ(c["inputs"].size(), 1u);
    const std::string out = (dir / "out.bin").string();
    const std::string run = fmt::format("{}/net_host {}/{} {}", dir.string(), GoldenDir(stem),
                                        c["inputs"][0].get<std::string>(), out);
    ASSERT_EQ(std::system(run.c_str()), 0) << run;
    EXPECT_EQ(ReadBytes(out), ReadBytes(GoldenDir(stem) + "/" + c["outputs"][0].get<std::string>()))
        << stem << " " << c["name"];
  }
  std::filesystem::remove_all(dir);
}

class GeneratedC : public ::testing::TestWithParam<std::string> {};

TEST_P(GeneratedC, HostBuildMatchesTflmGoldens) { BuildAndCompare(GetParam(), "host", ""); }

INSTANTIATE_TEST_SUITE_P(Models, GeneratedC, ::testing::ValuesIn(testing::GoldenModels()),
                         [](const auto& info) { return testing::TestName(info.param); });

TEST(GeneratedCSanitized, RunsCleanUnderAsanAndUbsan) {
  for (const char* stem :
       {"tflm_person_detect", "tinyengine_mcunet_vww", "mlperf_tiny_ic_resnet8_int8"}) {
    BuildAndCompare(stem, "asan", "-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all");
  }
}

TEST(GeneratedCDeterminism, TwoCompilesGiveIdenticalFiles) {
  auto ex = LoadModel(ModelPath("mlperf_tiny_kws_dscnn_int8"));
  ASSERT_TRUE(ex.ok());
  CodegenOptions o;
  auto a = GenerateCProject((*ex)->model(), o);
  auto again = LoadModel(ModelPath("mlperf_tiny_kws_dscnn_int8"));
  auto b = GenerateCProject((*again)->model(), o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  // Only the kernel variants the model uses: its first convolution gathers
  // windows, so the reference loops (dilated or grouped filters) stay out.
  EXPECT_TRUE(a->count("kernels/conv_im2col_s8.c"));
  EXPECT_FALSE(a->count("kernels/conv_s8.c"));
  EXPECT_FALSE(a->count("kernels/mean_s8.c"));
  EXPECT_FALSE(a->count("kernels/transpose.c"));
}

TEST(GeneratedCErrors, BadNameAndTargetAreRefused) {
  auto ex = LoadModel(ModelPath("tflm_hello_world_int8"));
  ASSERT_TRUE(ex.ok());
  CodegenOptions o;
  o.name = "9lives";
  EXPECT_NE(GenerateCProject((*ex)->model(), o).status().message().find("must be a C identifier"),
            std::string::npos);
  o.name = "ok";
  o.target = "cortex-a53";
  EXPECT_NE(GenerateCProject((*ex)->model(), o).status().message().find("cortex-a53"), std::string::npos);
}

}  // namespace
}  // namespace mcunet
