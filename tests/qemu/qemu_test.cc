// The generated C on an emulated Cortex-M7 (QEMU mps2-an500): every case of
// every golden model byte for byte, plus one model on the Cortex-M4 machine.
// Label "qemu": `ctest -L quick` skips these; CI runs them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "compiler/cost_model.h"
#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

using testing::GoldenDir;
using testing::ReadBytes;

void RunGoldenOnQemu(const std::string& stem, const std::string& target) {
  auto ex = LoadModel(testing::ModelPath(stem));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  auto files = GenerateCProject((*ex)->model(), CodegenOptions{});
  ASSERT_TRUE(files.ok()) << files.status().message();
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("mcunet_qemu_{}_{}", target, stem);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
  const auto manifest = testing::LoadManifest(stem);
  for (const auto& c : manifest["cases"]) {
    const auto input = ReadBytes(GoldenDir(stem) + "/" + c["inputs"][0].get<std::string>());
    auto run = RunOnQemu(dir.string(), "model", target, input, MCUNET_PLUGIN_PATH);
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_EQ(run->output, ReadBytes(GoldenDir(stem) + "/" + c["outputs"][0].get<std::string>()))
        << stem << " " << c["name"] << " on " << target;
    EXPECT_GT(run->instructions, 0);
    // SRAM is the planned arena plus under 2 kB of stack and statics.
    EXPECT_LT(run->sram_bytes - (*ex)->arena_bytes(), 2048) << stem;
    EXPECT_LE(run->code_bytes, 25 * 1024) << stem;
  }
  std::filesystem::remove_all(dir);
}

class QemuCortexM7 : public ::testing::TestWithParam<std::string> {};

TEST_P(QemuCortexM7, MatchesTflmGoldens) { RunGoldenOnQemu(GetParam(), "cortex-m7"); }

INSTANTIATE_TEST_SUITE_P(Models, QemuCortexM7, ::testing::ValuesIn(testing::GoldenModels()),
                         [](const auto& info) { return testing::TestName(info.param); });

TEST(QemuCortexM4, FloatIoModelMatchesTflmGoldens) {
  RunGoldenOnQemu("tinyengine_mcunet_vww", "cortex-m4");
}

// ARMv6-M code (no DSP, no hardware divide, no FPU: float I/O in software) on
// mps2-an385's Cortex-M3.
TEST(QemuCortexM0Plus, MatchesTflmGoldens) {
  RunGoldenOnQemu("mlperf_tiny_kws_dscnn_int8", "cortex-m0plus");
  RunGoldenOnQemu("tinyengine_mcunet_vww", "cortex-m0plus");
}

// The instruction count is a repeatable figure: two runs of one image agree.
TEST(QemuInstructionCount, IsDeterministic) {
  auto ex = LoadModel(testing::ModelPath("mlperf_tiny_kws_dscnn_int8"));
  ASSERT_TRUE(ex.ok());
  auto files = GenerateCProject((*ex)->model(), CodegenOptions{});
  ASSERT_TRUE(files.ok());
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_qemu_count";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
  const std::vector<uint8_t> input(490, 3);
  auto a = RunOnQemu(dir.string(), "model", "cortex-m7", input, MCUNET_PLUGIN_PATH);
  auto b = RunOnQemu(dir.string(), "model", "cortex-m7", input, MCUNET_PLUGIN_PATH);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().message();
  EXPECT_EQ(a->instructions, b->instructions);
  EXPECT_GT(a->instructions, 100000);
  // The engine's cost model predicts the count within 5 % (refit it when a kernel changes:
  // build/bench_cost_model --print-table).
  const double estimate = static_cast<double>(
      EstimateInstructions(ComputeModelStats((*ex)->model()), "cortex-m7").instructions);
  EXPECT_NEAR(estimate, static_cast<double>(a->instructions), 0.05 * a->instructions);
  // Per-layer counts: one per layer, adding up to the plain build's total up to
  // the marker calls (a few instructions per layer).
  auto p = RunOnQemu(dir.string(), "model", "cortex-m7", input, MCUNET_PLUGIN_PATH, 300, true);
  ASSERT_TRUE(p.ok()) << p.status().message();
  const int64_t layers = static_cast<int64_t>((*ex)->model().graph.nodes.size());
  ASSERT_EQ(static_cast<int64_t>(p->layer_instructions.size()), layers);
  int64_t sum = 0;
  for (int64_t n : p->layer_instructions) {
    EXPECT_GT(n, 0);
    sum += n;
  }
  EXPECT_NEAR(static_cast<double>(sum), static_cast<double>(a->instructions), 10.0 * layers);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mcunet

namespace mcunet {
namespace {

std::string RunCommand(const std::string& command, int* exit_code) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof(buf), pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(ValidateCli, JsonReportsBitExactAndFigures) {
  int rc = 0;
  const std::string out =
      RunCommand(fmt::format("{} validate {} --json --per-layer --plugin {}", MCUNET_CLI_PATH,
                             testing::ModelPath("mlperf_tiny_kws_dscnn_int8"), MCUNET_PLUGIN_PATH),
                 &rc);
  ASSERT_EQ(rc, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_TRUE(j["bit_exact"].get<bool>());
  for (const char* key :
       {"flash_bytes", "code_bytes", "sram_bytes", "arena_bytes", "instructions"}) {
    EXPECT_GT(j[key].get<int64_t>(), 0) << key;
  }
  EXPECT_LT(j["code_bytes"].get<int64_t>(), j["flash_bytes"].get<int64_t>());
  // --per-layer: every layer named with its kernel; convolutions do MACs.
  ASSERT_GT(j["layers"].size(), 5u);
  int64_t conv_macs = 0;
  for (const auto& layer : j["layers"]) {
    EXPECT_GT(layer["instructions"].get<int64_t>(), 0);
    if (layer["op"] == "CONV_2D") {
      EXPECT_EQ(layer["kernel"].get<std::string>().rfind("mcunet_conv", 0), 0u) << layer;
      conv_macs += layer["macs"].get<int64_t>();
    }
  }
  EXPECT_GT(conv_macs, 0);
}

// --device builds for the device's core and measures the fit on the built ELF.
TEST(ValidateCli, DeviceRunsOnItsCoreAndGivesTheLatencyAtItsClock) {
  int rc = 0;
  const std::string out = RunCommand(
      fmt::format("{} validate {} --json --device stm32l432 --plugin {}", MCUNET_CLI_PATH,
                  testing::ModelPath("tflm_micro_speech_quantized"), MCUNET_PLUGIN_PATH),
      &rc);
  ASSERT_EQ(rc, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["target"], "cortex-m4");
  const auto& d = j["device"];
  EXPECT_TRUE(d["fits"].get<bool>());
  EXPECT_EQ(d["sram_bytes"], j["sram_bytes"]);
  EXPECT_EQ(d["flash_bytes"], j["flash_bytes"]);
  // 80 MHz: instructions / 80,000 per millisecond.
  EXPECT_NEAR(d["latency_ms"].get<double>(), j["instructions"].get<double>() / 80000.0, 1e-9);
}

TEST(CompileCli, TwoRunsWriteIdenticalFilesAndBadNamesWriteNothing) {
  const auto a = std::filesystem::temp_directory_path() / "mcunet_compile_a";
  const auto b = std::filesystem::temp_directory_path() / "mcunet_compile_b";
  std::filesystem::remove_all(a), std::filesystem::remove_all(b);
  int rc = 0;
  const std::string model = testing::ModelPath("tflm_micro_speech_quantized");
  // Same command twice (the command line is part of the front matter).
  for (const auto& dir : {a, b}) {
    const std::string out = RunCommand(
        fmt::format("cd {} && {} compile {} -o out --name speech",
                    std::filesystem::temp_directory_path().string(), MCUNET_CLI_PATH, model),
        &rc);
    ASSERT_EQ(rc, 0) << out;
    std::filesystem::rename(std::filesystem::temp_directory_path() / "out", dir);
  }
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(a)) {
    if (!e.is_regular_file()) continue;
    const auto relative = std::filesystem::relative(e.path(), a);
    EXPECT_EQ(testing::ReadBytes(e.path().string()), testing::ReadBytes((b / relative).string()))
        << relative;
    ++files;
  }
  EXPECT_GT(files, 8);
  const auto bad = std::filesystem::temp_directory_path() / "mcunet_compile_bad";
  std::filesystem::remove_all(bad);
  const std::string out = RunCommand(
      fmt::format("{} compile {} -o {} --name 1bad", MCUNET_CLI_PATH, model, bad.string()), &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("must be a C identifier"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(bad));
  std::filesystem::remove_all(a), std::filesystem::remove_all(b);
}

}  // namespace
}  // namespace mcunet
