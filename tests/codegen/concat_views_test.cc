// The generated C of a conv -> concat graph whose convolutions write straight
// into the concatenation's output (planner/views.h): no copy left in the code,
// built with -Wall -Wextra -Werror and run, the same bytes as the copying
// plan's project and as the host runtime.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "codegen/c_project.h"
#include "compiler/compile.h"
#include "planner/concat_graph.h"
#include "runtime/executor.h"
#include "test_data.h"

namespace mcunet {
namespace {

// Builds the project of `m` and runs it on `input`; returns its output and, in
// `source`, the model's C file.
std::vector<uint8_t> RunGenerated(const CompiledModel& m, const std::string& tag,
                                  const std::vector<uint8_t>& input, std::string* source) {
  CodegenOptions o;
  o.name = "net";
  auto files = GenerateCProject(m, o);
  EXPECT_TRUE(files.ok()) << files.status().message();
  if (!files.ok()) return {};
  *source = files->at("model/net.c");
  const auto dir = std::filesystem::temp_directory_path() / ("mcunet_cg_concat_views_" + tag);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(WriteProject(dir.string(), *files).ok());
  const std::string build = fmt::format("make -s -C {0} host > {0}/build.log 2>&1", dir.string());
  EXPECT_EQ(std::system(build.c_str()), 0) << build;
  std::ofstream((dir / "in.bin").string(), std::ios::binary)
      .write(reinterpret_cast<const char*>(input.data()),
             static_cast<std::streamsize>(input.size()));
  const std::string run = fmt::format("{0}/net_host {0}/in.bin {0}/out.bin", dir.string());
  EXPECT_EQ(std::system(run.c_str()), 0) << run;
  const auto out = testing::ReadBytes((dir / "out.bin").string());
  std::filesystem::remove_all(dir);
  return out;
}

TEST(GeneratedCConcatViews, NoCopyAndTheCopyingProjectsBytes) {
  std::mt19937 rng(9);
  const auto input = testing::AsBytes(testing::RandomInt8(rng, 8 * 8 * 4));
  auto host = Executor::Create(testing::CompileConvConcat(true));
  ASSERT_TRUE(host.ok()) << host.status().message();
  ASSERT_TRUE((*host)->SetInput(0, input).ok());
  ASSERT_TRUE((*host)->Invoke().ok());
  const std::vector<uint8_t> expected((*host)->Output(0).begin(), (*host)->Output(0).end());
  std::string viewed_c, copying_c;
  EXPECT_EQ(RunGenerated(testing::CompileConvConcat(true), "views", input, &viewed_c), expected);
  EXPECT_EQ(RunGenerated(testing::CompileConvConcat(false), "copy", input, &copying_c), expected);
  EXPECT_EQ(viewed_c.find("mcunet_concat("), std::string::npos);
  EXPECT_NE(viewed_c.find("nothing to copy"), std::string::npos);
  EXPECT_NE(copying_c.find("mcunet_concat("), std::string::npos);
}

// Along the channels: both convolutions write their pixels 32 bytes apart into
// the output (the kernels' strided entries); nothing is copied.
TEST(GeneratedCConcatViews, StridedViewWritesTheHostRuntimesBytes) {
  std::mt19937 rng(10);
  const auto input = testing::AsBytes(testing::RandomInt8(rng, 8 * 8 * 4));
  auto host = Executor::Create(testing::CompileConvConcat(false, 3));
  ASSERT_TRUE(host.ok()) << host.status().message();
  ASSERT_TRUE((*host)->SetInput(0, input).ok());
  ASSERT_TRUE((*host)->Invoke().ok());
  const std::vector<uint8_t> expected((*host)->Output(0).begin(), (*host)->Output(0).end());
  std::string viewed_c;
  EXPECT_EQ(RunGenerated(testing::CompileConvConcat(true, 3), "strided", input, &viewed_c),
            expected);
  EXPECT_NE(viewed_c.find("mcunet_conv1x1_strided_s8("), std::string::npos);
  EXPECT_NE(viewed_c.find("mcunet_conv2d_im2col_strided_s8("), std::string::npos);
  EXPECT_NE(viewed_c.find("nothing to copy"), std::string::npos);
  EXPECT_NE(viewed_c.find("rows 32 bytes apart"), std::string::npos);
}

}  // namespace
}  // namespace mcunet
