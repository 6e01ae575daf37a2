// The command line as a user meets it: exit codes, messages, JSON keys.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_data.h"

namespace mcunet {
namespace {

struct Result {
  int exit_code;
  std::string output;  // stdout and stderr
};

Result RunCli(const std::string& args) {
  const std::string cmd = fmt::format("{} {} 2>&1", MCUNET_CLI_PATH, args);
  Result r{0, ""};
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Cli, AnalyzeJsonHasTheDocumentedKeys) {
  const Result r = RunCli("analyze --json " + testing::ModelPath("mlperf_tiny_ic_resnet8_int8"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  for (const char* key : {"macs", "params", "weights_bytes", "flash_bytes", "data_flash_bytes",
                          "code_bytes_estimate", "peak_sram_bytes",
                          "baseline_sram_bytes", "lower_bound_bytes", "peak_layer", "layers"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["layers"].size(), 16u);
  // ResNet-8 (MLPerf Tiny IC): 12.5 M MACs and 78k parameters, as published.
  EXPECT_NEAR(j["macs"].get<double>(), 12.5e6, 0.1e6);
  EXPECT_NEAR(j["params"].get<double>(), 78e3, 1e3);
  int64_t sum = 0, peak_live = 0;
  for (const auto& l : j["layers"]) {
    sum += l["macs"].get<int64_t>();
    peak_live = std::max(peak_live, l["live_bytes"].get<int64_t>());
  }
  EXPECT_EQ(sum, j["macs"].get<int64_t>());
  // Ordered memory figures: what is live never exceeds the arena, the arena is
  // between the lower bound and the baseline.
  EXPECT_LE(peak_live, j["peak_sram_bytes"].get<int64_t>());
  EXPECT_LE(j["lower_bound_bytes"].get<int64_t>(), j["peak_sram_bytes"].get<int64_t>());
  EXPECT_LE(j["peak_sram_bytes"].get<int64_t>(), j["baseline_sram_bytes"].get<int64_t>());
  EXPECT_GT(j["data_flash_bytes"].get<int64_t>(), j["weights_bytes"].get<int64_t>());
  EXPECT_EQ(j["flash_bytes"].get<int64_t>(),
            j["data_flash_bytes"].get<int64_t>() + j["code_bytes_estimate"].get<int64_t>());
}

// The device verdict: the same figures as the plain JSON, against the device's
// memories (person_detect fits an STM32F746, mcunet-320kb not an STM32L432).
TEST(Cli, AnalyzeDeviceSaysWhetherTheModelFits) {
  Result r =
      RunCli("analyze --json --device stm32f746 " + testing::ModelPath("tflm_person_detect"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  const auto& d = j["device"];
  EXPECT_TRUE(d["fits"].get<bool>());
  EXPECT_EQ(d["sram_bytes"], j["peak_sram_bytes"]);
  EXPECT_EQ(d["flash_bytes"], j["flash_bytes"]);  // the same figure under the same name
  EXPECT_EQ(d["device_sram_bytes"].get<int64_t>(), 320 * 1024);
  EXPECT_EQ(d["inputs"][0]["shape"], nlohmann::json({1, 96, 96, 1}));
  EXPECT_EQ(d["inputs"][0]["zero_point"].get<int>(), -1);
  // The latency is the cost model's instructions at the device's 216 MHz.
  EXPECT_EQ(d["instructions_counts"], "estimated by the cost model");
  EXPECT_NEAR(d["latency_ms"].get<double>(), d["instructions"].get<double>() / 216000.0, 1e-9);
  EXPECT_GT(d["instructions"].get<int64_t>(), j["macs"].get<int64_t>());  // > 1 per MAC today
  r = RunCli("analyze --device stm32l432 " + testing::ModelPath("mcunet_320kb-1mb_imagenet"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("DOES NOT FIT"), std::string::npos) << r.output;
  r = RunCli("analyze --device nosuch " + testing::ModelPath("tflm_hello_world_int8"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("stm32f746"), std::string::npos) << r.output;  // lists the known ones
}

TEST(Cli, AnalyzeTablePrintsEveryLayerAndTotals) {
  const Result r = RunCli("analyze " + testing::ModelPath("tflm_hello_world_int8"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("FULLY_CONNECTED"), std::string::npos);
  EXPECT_NE(r.output.find("total: 3 layers"), std::string::npos) << r.output;
}

TEST(Cli, PlotWritesAnSvgMemoryProfile) {
  const auto svg = std::filesystem::temp_directory_path() / "mcunet_cli_memory.svg";
  std::filesystem::remove(svg);
  const Result r = RunCli(
      fmt::format("analyze {} --plot {}", testing::ModelPath("tflm_person_detect"), svg.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream f(svg);
  const std::string text((std::istreambuf_iterator<char>(f)), {});
  EXPECT_EQ(text.rfind("<svg", 0), 0u);
  EXPECT_NE(text.find("polyline"), std::string::npos);
  EXPECT_NE(text.find("busiest: layer "), std::string::npos);
  EXPECT_NE(text.find("</svg>"), std::string::npos);
  // The plot's peak is the arena, as analyze --json states it.
  const auto j = nlohmann::json::parse(
      RunCli("analyze --json " + testing::ModelPath("tflm_person_detect")).output);
  EXPECT_NE(text.find(fmt::format("mcunet arena (peak SRAM) {:.1f} kB",
                                  j["peak_sram_bytes"].get<double>() / 1024)),
            std::string::npos);
}

TEST(Cli, WrongInputSizeSaysTheExpectedSize) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string in = (dir / "mcunet_cli_short.bin").string();
  std::ofstream(in, std::ios::binary) << "abc";
  const std::string out = (dir / "mcunet_cli_never.bin").string();
  std::filesystem::remove(out);
  const Result r = RunCli(fmt::format("run {} --input {} --output {}",
                                      testing::ModelPath("tflm_person_detect"), in, out));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("needs 9216 bytes (1x96x96x1 int8), got 3"), std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(out)) << "no output may be written on error";
}

// --keep-flash stores every constant at the model's size. Without it (and
// within 1 MB), the filters of depthwise layers that run pixel by pixel and
// the 1x1 convolutions' rows are stored widened: the Flash estimate drops by
// at most those filters (each weight's second byte) plus a word per depthwise
// channel (the shifts beside the multipliers), and by at least the stride-2
// depthwise filters (always pixel by pixel) and the 1x1 rows.
TEST(Cli, KeepFlashStoresConstantsAtTheModelsSize) {
  const std::string model = testing::ModelPath("tflm_person_detect");
  const Result fast = RunCli("analyze --json " + model);
  const Result kept = RunCli("analyze --json --keep-flash " + model);
  ASSERT_EQ(fast.exit_code, 0) << fast.output;
  ASSERT_EQ(kept.exit_code, 0) << kept.output;
  const auto f = nlohmann::json::parse(fast.output), k = nlohmann::json::parse(kept.output);
  EXPECT_EQ(f["weights_bytes"], k["weights_bytes"]);
  int64_t upper = 0, lower = 0;
  for (const auto& l : f["layers"]) {
    const std::string in = l["input_shapes"][0], out = l["output_shape"];
    const int64_t channels = std::stoll(out.substr(out.rfind('x') + 1));
    const int64_t filter = l["weight_bytes"].get<int64_t>() - 4 * channels;  // less the bias
    const int64_t in_h = std::stoll(in.substr(2)), out_h = std::stoll(out.substr(2));
    if (l["op"] == "DEPTHWISE_CONV_2D") {
      upper += filter + 4 * channels;
      if (in_h == 2 * out_h) lower += filter;
    } else if (l["op"] == "CONV_2D") {
      upper += filter;
      if (in_h == out_h && filter % channels == 0 && (filter / channels) % 4 == 0 &&
          in.substr(in.rfind('x') + 1) == std::to_string(filter / channels)) {
        lower += filter;  // a 1x1 layer over whole groups of four channels
      }
    }
  }
  const int64_t saved = f["flash_bytes"].get<int64_t>() - k["flash_bytes"].get<int64_t>();
  EXPECT_GE(saved, lower);
  EXPECT_LE(saved, upper);
  EXPECT_GT(lower, 0);
}

TEST(Cli, UnsupportedOperatorExitsNonZeroNamingIt) {
  const Result r =
      RunCli("analyze " + testing::SourcePath("models/unsupported/detection_postprocess.tflite"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("(CUSTOM 'TFLite_Detection_PostProcess') is not supported"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("operator "), std::string::npos) << r.output;
}

TEST(Cli, HelpTeachesEveryCommand) {
  for (const char* cmd : {"--help", "analyze --help", "run --help"}) {
    const Result r = RunCli(cmd);
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << cmd << r.output;
  }
  EXPECT_NE(RunCli("--help").output.find("analyze"), std::string::npos);
  // Every subcommand's help is its own (mcunet-nas's too, reached through mcunet).
  std::set<std::string> footers;
  for (const char* cmd : {"analyze", "run", "evaluate", "compile", "validate", "devices",
                          "report", "space", "search", "train", "evolve", "export"}) {
    const Result r = RunCli(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd << r.output;
    EXPECT_NE(r.output.find(std::string("Usage: mcunet ") + cmd), std::string::npos)
        << cmd << r.output;
    const size_t example = r.output.rfind("Example: mcunet ");
    ASSERT_NE(example, std::string::npos) << cmd << r.output;
    EXPECT_EQ(r.output.find(std::string("Example: mcunet ") + cmd, example), example) << cmd;
    footers.insert(r.output.substr(example));
  }
  EXPECT_EQ(footers.size(), 12u);
  const Result version = RunCli("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output.rfind("mcunet ", 0), 0u) << version.output;
}

// Exit code 2 for usage (documented in --help), with a guess for a typo.
TEST(Cli, UsageErrorsExitTwoAndGuessTypos) {
  EXPECT_EQ(RunCli("run").exit_code, 2);
  EXPECT_EQ(RunCli("").exit_code, 2);
  EXPECT_EQ(RunCli("analyze --no-such-option x.tflite").exit_code, 2);
  EXPECT_EQ(
      RunCli("run " + testing::ModelPath("tflm_hello_world_int8") + " --input x.bin").exit_code,
      2);  // neither --output nor --top
  Result r = RunCli("analze " + testing::ModelPath("tflm_hello_world_int8"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("did you mean 'analyze'?"), std::string::npos) << r.output;
  r = RunCli("complie x.tflite -o out");
  EXPECT_NE(r.output.find("did you mean 'compile'?"), std::string::npos) << r.output;
  r = RunCli("xyzzy");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output.find("did you mean"), std::string::npos) << r.output;
  EXPECT_NE(RunCli("--help").output.find("Exit codes: 0"), std::string::npos);
}

// Budgets with units as datasheets write them; a bad one names itself.
TEST(Cli, SizesTakeBinaryUnits) {
  Result r = RunCli("space --sram 64k --flash 0.25M --samples 20 --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["sram_budget_bytes"].get<int64_t>(), 65536) << r.output;
  EXPECT_EQ(j["flash_budget_bytes"].get<int64_t>(), 262144) << r.output;
  r = RunCli("space --sram 64q --flash 1M");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'64q' is not a memory size"), std::string::npos) << r.output;
}

// space ranks as search does (--budget: its grid, samples and pick), shows the
// N best rows, and plots ten spaces in ten colours under a title naming the device.
TEST(Cli, SpaceShowsTheTopRowsAndThePickSearchMakes) {
  const auto svg = std::filesystem::temp_directory_path() / "mcunet_cli_cdf.svg";
  const std::string args = "space --device stm32l432 --budget quick --samples 30";
  Result r = RunCli(args + " --top 3 --plot " + svg.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  int rows = 0;
  std::istringstream lines(r.output);
  std::string line, picked_row;
  while (std::getline(lines, line)) {
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) ++rows;
    if (line.find("<- picked") != std::string::npos) picked_row = line;
  }
  EXPECT_EQ(rows, 3) << r.output;
  const Result j = RunCli(args + " --json");
  ASSERT_EQ(j.exit_code, 0) << j.output;
  const auto best = nlohmann::json::parse(j.output)["best"];
  EXPECT_NE(picked_row.find(fmt::format("w{:.1f}-r{}", best["w"].get<double>(),
                                        best["r"].get<int>())),
            std::string::npos)
      << r.output;
  std::ifstream f(svg);
  const std::string plot((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_NE(plot.find("TinyNAS stage 1, stm32l432: 64 kB SRAM, 256 kB Flash"), std::string::npos);
  std::set<std::string> colours;
  for (size_t at = plot.find("<polyline fill='none' stroke='"); at != std::string::npos;
       at = plot.find("<polyline fill='none' stroke='", at + 1)) {
    colours.insert(plot.substr(at + 30, 7));
  }
  colours.erase("#cccccc");
  EXPECT_EQ(colours.size(), 10u) << plot.substr(0, 400);
  std::filesystem::remove(svg);
}

// run --top K reads a classifier's result without a hex dump: dequantised
// scores, highest first, equal to the raw output bytes.
TEST(Cli, RunTopPrintsTheHighestScores) {
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_cli_top";
  std::filesystem::create_directories(dir);
  const std::string model = testing::ModelPath("tflm_person_detect");
  const std::string in = (dir / "in.bin").string(), out = (dir / "out.bin").string();
  std::ofstream(in, std::ios::binary) << std::string(96 * 96, '\x10');
  const Result r = RunCli(fmt::format("run {} --input {} --output {} --top 2", model, in, out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto raw = testing::ReadBytes(out);
  ASSERT_EQ(raw.size(), 2u);
  const int best = static_cast<int8_t>(raw[0]) >= static_cast<int8_t>(raw[1]) ? 0 : 1;
  // person_detect's output: scale 1/256, zero point -128.
  const std::string first =
      fmt::format("     1  {:>5}  {:>10.4f}  {:>5}", best,
                  (static_cast<int8_t>(raw[best]) + 128) / 256.0, static_cast<int8_t>(raw[best]));
  EXPECT_NE(r.output.find(first), std::string::npos) << first << "\n" << r.output;
  EXPECT_NE(r.output.find("     2  "), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

// compile --device builds for the device's core and refuses a model that does
// not fit it, writing nothing.
TEST(Cli, CompileForADeviceChecksTheFitFirst) {
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_cli_device";
  std::filesystem::remove_all(dir);
  Result r = RunCli(fmt::format("compile {} -o {} --device stm32f746",
                                testing::ModelPath("tflm_person_detect"), (dir / "ok").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("fits"), std::string::npos) << r.output;
  std::ifstream makefile(dir / "ok" / "Makefile");
  const std::string text((std::istreambuf_iterator<char>(makefile)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("all: cortex-m7"), std::string::npos);
  r = RunCli(fmt::format("compile {} -o {} --device stm32l432",
                         testing::ModelPath("mcunet_320kb-1mb_imagenet"), (dir / "big").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("DOES NOT FIT"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("does not fit stm32l432"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "big"));
  EXPECT_EQ(RunCli(fmt::format("compile {} -o {} --device stm32f746 --target host",
                               testing::ModelPath("tflm_hello_world_int8"), (dir / "x").string()))
                .exit_code,
            2);  // --device sets the target: both is a usage error
  std::filesystem::remove_all(dir);
}

// compile refuses a folder with files in it unless --force, which replaces the
// generated project (stale kernels included) and keeps the user's own files.
TEST(Cli, CompileIntoAFullFolderNeedsForce) {
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_cli_force";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "kernels");
  std::ofstream(dir / "notes.txt") << "mine";
  std::ofstream(dir / "kernels" / "stale_kernel.c") << "old";
  const std::string model = testing::ModelPath("tflm_hello_world_int8");
  Result r = RunCli(fmt::format("compile {} -o {}", model, dir.string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("folder is not empty"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "Makefile"));
  r = RunCli(fmt::format("compile {} -o {} --force", model, dir.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "Makefile"));
  EXPECT_TRUE(std::filesystem::exists(dir / "notes.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "kernels" / "stale_kernel.c"));
  std::filesystem::remove_all(dir);
}

// A directory or a missing path where a file is expected: one line naming it,
// exit 1, for every command that reads a model or an input (not a crash).
TEST(Cli, DirectoryOrMissingPathIsOneClearError) {
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_cli_a_directory";
  std::filesystem::create_directories(dir);
  const std::string d = dir.string(), model = testing::ModelPath("tflm_hello_world_int8");
  const std::string out = (std::filesystem::temp_directory_path() / "mcunet_cli_out").string();
  for (const std::string& args :
       {"analyze " + d, "analyze --arch " + d, "run " + d + " --input x.bin --output " + out,
        "run " + model + " --input " + d + " --output " + out, "compile " + d + " -o " + out,
        "validate " + d}) {
    const Result r = RunCli(args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(d + ": is a directory, not a file"), std::string::npos) << args << "\n"
                                                                                    << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << args << "\n" << r.output;
  }
  const Result missing = RunCli("analyze /nonexistent/model.tflite");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("/nonexistent/model.tflite: no such file"), std::string::npos)
      << missing.output;
  EXPECT_FALSE(std::filesystem::exists(out));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mcunet
