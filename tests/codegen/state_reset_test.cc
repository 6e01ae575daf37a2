// The generated C of a model with state (SVDF): the state carries over from one
// invoke to the next, <name>_reset() brings back the first output, and the
// header documents it. Built with -std=c99 -Wall -Wextra -Werror and a harness
// of the test's own. Models without state get no reset function.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "codegen/c_project.h"
#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

using testing::OpsGoldenDir;
using testing::ReadBytes;

// invoke(in1), invoke(in2), reset, invoke(in1): the three outputs in one file.
constexpr const char* kHarness = R"(#include <stdio.h>

#include "net.h"

static unsigned char in1[NET_INPUT_BYTES], in2[NET_INPUT_BYTES], out[3][NET_OUTPUT_BYTES];

static int read_file(const char *path, unsigned char *bytes) {
  FILE *f = fopen(path, "rb");
  size_t n;
  if (!f) return 1;
  n = fread(bytes, 1, NET_INPUT_BYTES, f);
  fclose(f);
  return n != NET_INPUT_BYTES;
}

int main(int argc, char **argv) {
  FILE *f;
  if (argc != 4 || read_file(argv[1], in1) || read_file(argv[2], in2)) return 2;
  if (net_invoke(in1, out[0]) || net_invoke(in2, out[1])) return 1;
  net_reset();
  if (net_invoke(in1, out[2])) return 1;
  f = fopen(argv[3], "wb");
  if (!f || fwrite(out, 1, sizeof(out), f) != sizeof(out)) return 2;
  fclose(f);
  return 0;
}
)";

TEST(GeneratedCState, ResetBringsBackTheFirstOutput) {
  const std::string stem = "svdf_rank2_relu";
  auto ex = LoadModel(testing::OpsModelPath(stem));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  CodegenOptions o;
  o.name = "net";
  auto files = GenerateCProject((*ex)->model(), o);
  ASSERT_TRUE(files.ok()) << files.status().message();
  const std::string& header = files->at("model/net.h");
  EXPECT_NE(header.find("void net_reset(void);"), std::string::npos);
  EXPECT_NE(header.find("carry\n   over from one run to the next"), std::string::npos) << header;
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_cg_state_reset";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
  std::ofstream(dir / "reset_main.c") << kHarness;
  std::string sources = "model/net.c model/net_weights.c reset_main.c";
  for (const auto& [file, text] : *files) {
    if (file.rfind("kernels/", 0) == 0 && file.size() > 2 && file.substr(file.size() - 2) == ".c") {
      sources += " " + file;
    }
  }
  const std::string build = fmt::format(
      "cd {} && cc -std=c99 -Wall -Wextra -Werror -Imodel -Ikernels -o reset_test {} > build.log "
      "2>&1",
      dir.string(), sources);
  ASSERT_EQ(std::system(build.c_str()), 0) << build << "\n" << dir.string() << "/build.log";
  const std::string in1 = OpsGoldenDir(stem) + "/case1/input0.bin";
  const std::string in2 = OpsGoldenDir(stem) + "/case2/input0.bin";
  const std::string run =
      fmt::format("{}/reset_test {} {} {}/out.bin", dir.string(), in1, in2, dir.string());
  ASSERT_EQ(std::system(run.c_str()), 0) << run;
  const std::vector<uint8_t> outs = ReadBytes((dir / "out.bin").string());
  const size_t n = outs.size() / 3;
  ASSERT_EQ(outs.size(), 3 * 8u);
  const std::vector<uint8_t> first(outs.begin(), outs.begin() + n),
      second(outs.begin() + n, outs.begin() + 2 * n), after_reset(outs.begin() + 2 * n, outs.end());
  // From the initial state: TF Lite Micro's output for case 1.
  EXPECT_EQ(first, ReadBytes(OpsGoldenDir(stem) + "/case1/output0.bin"));
  EXPECT_EQ(after_reset, first);
  // The second invoke starts from the state the first left: the host runtime
  // agrees, and it differs from a run of case 2 from the initial state.
  Executor& host = **ex;
  for (const std::string& in : {in1, in2}) {
    ASSERT_TRUE(host.SetInput(0, ReadBytes(in)).ok());
    ASSERT_TRUE(host.Invoke().ok());
  }
  EXPECT_EQ(second, std::vector<uint8_t>(host.Output(0).begin(), host.Output(0).end()));
  EXPECT_NE(second, ReadBytes(OpsGoldenDir(stem) + "/case2/output0.bin"));
  std::filesystem::remove_all(dir);
}

TEST(GeneratedCState, ModelsWithoutStateHaveNoReset) {
  auto ex = LoadModel(testing::ModelPath("tflm_hello_world_int8"));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  EXPECT_EQ((*ex)->memory_plan().state_bytes, 0);
  CodegenOptions o;
  o.name = "net";
  auto files = GenerateCProject((*ex)->model(), o);
  ASSERT_TRUE(files.ok()) << files.status().message();
  for (const auto& [file, text] : *files) {
    if (file.rfind("model/", 0) == 0 || file == "README.md") {
      EXPECT_EQ(text.find("reset"), std::string::npos) << file;
    }
  }
}

}  // namespace
}  // namespace mcunet
