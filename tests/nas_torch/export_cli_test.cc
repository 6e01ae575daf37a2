// `mcunet export` end to end: a tiny network trained a few steps with
// `mcunet train --arch`, exported to int8; the .tflite read back runs, its int8
// accuracy is that of the float weights within a few points, its planned arena
// is the peak SRAM the search's memory model gives the arch (issue 20 item 5);
// bad input fails with one line naming the file, and writes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/arch.h"
#include "compiler/compile.h"
#include "data/idx_dataset.h"
#include "nas/memory_model.h"
#include "runtime/evaluate.h"
#include "test_data.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;

using testing::ReadText;

std::string none_path(const fs::path& dir) { return (dir / "none.tflite").string(); }

// Runs the CLI; returns the exit code, stdout and stderr.
struct CliRun {
  int rc;
  std::string out, err;
};
CliRun Cli(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "cli.out", err = dir / "cli.err";
  const int rc = std::system(("'" + std::string(MCUNET_CLI_PATH) + "' " + args + " > '" +
                              out.string() + "' 2> '" + err.string() + "'")
                                 .c_str());
  return {rc, ReadText(out), ReadText(err)};
}

// 32x32 from 28x28 images (the bilinear resize is exercised), a stride-2 3x3
// stem (TFLite writes its padding as PAD), residual blocks with and without expansion.
constexpr const char* kTinyArch = R"({"name": "tiny-export-test", "resolution": 32,
 "first_conv": {"name": "ConvLayer", "kernel_size": 3, "stride": 2, "in_channels": 1, "out_channels": 8, "act_func": "relu6"},
 "blocks": [
  {"name": "MobileInvertedResidualBlock", "mobile_inverted_conv": {"name": "MBInvertedConvLayer", "in_channels": 8, "out_channels": 8, "kernel_size": 3, "stride": 1, "expand_ratio": 1, "mid_channels": null}, "shortcut": {"name": "IdentityLayer", "in_channels": 8, "out_channels": 8}},
  {"name": "MobileInvertedResidualBlock", "mobile_inverted_conv": {"name": "MBInvertedConvLayer", "in_channels": 8, "out_channels": 16, "kernel_size": 3, "stride": 2, "expand_ratio": 3, "mid_channels": null}, "shortcut": null},
  {"name": "MobileInvertedResidualBlock", "mobile_inverted_conv": {"name": "MBInvertedConvLayer", "in_channels": 16, "out_channels": 16, "kernel_size": 5, "stride": 1, "expand_ratio": 3, "mid_channels": null}, "shortcut": {"name": "IdentityLayer", "in_channels": 16, "out_channels": 16}}],
 "feature_mix_layer": {"name": "ConvLayer", "kernel_size": 1, "stride": 1, "in_channels": 16, "out_channels": 32, "act_func": "relu6"},
 "classifier": {"name": "LinearLayer", "in_features": 32, "out_features": 10, "bias": true}})";

TEST(ExportCli, TrainedNetworkExportsToAnInt8ModelThatKeepsItsAccuracyAndMemory) {
  const fs::path dir = fs::temp_directory_path() / "mcunet_export_cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  { std::ofstream(dir / "tiny.json") << kTinyArch; }
  const fs::path run = dir / "run";
  const CliRun trained = Cli("train --budget smoke --final-steps 80 --arch '" +
                              (dir / "tiny.json").string() + "' --out '" + run.string() + "'",
                          dir);
  ASSERT_EQ(trained.rc, 0) << trained.err;

  const fs::path model = dir / "tiny.tflite";
  const CliRun exported = Cli("export '" + run.string() + "' -o '" + model.string() +
                               "' --calibration-images 256 --test-images 400 --json",
                           dir);
  ASSERT_EQ(exported.rc, 0) << exported.err;
  const nlohmann::json r = nlohmann::json::parse(exported.out);
  const double float_acc = r["float_test_accuracy"], int8_acc = r["int8_test_accuracy"];
  EXPECT_GT(float_acc, 0.3) << r.dump();  // 80 steps; chance is 0.1
  EXPECT_NEAR(int8_acc, float_acc, 0.04) << r.dump();
  EXPECT_EQ(r["test_images"], 400);
  EXPECT_EQ(r["input_zero_point"].get<int>(),
            static_cast<int>(std::lround(255 * 0.286)) - 128);  // Fashion-MNIST's mean, +-1
  EXPECT_TRUE(fs::exists(model));

  // (a) The file read back compiles and runs, and gives the accuracy export measured.
  auto graph = ReadTfliteFile(model.string());
  ASSERT_TRUE(graph.ok()) << graph.status().message();
  auto compiled = Compile(*graph);
  ASSERT_TRUE(compiled.ok()) << compiled.status().message();
  // (c) Its arena is the search's peak SRAM for the arch.
  auto arch = ReadArchFile((run / "trained_arch.json").string());
  ASSERT_TRUE(arch.ok());
  auto cost = MeasureArch(*arch);
  ASSERT_TRUE(cost.ok());
  EXPECT_EQ(compiled->totals.peak_sram_bytes, cost->peak_sram_bytes);
  EXPECT_EQ(r["peak_sram_bytes"], cost->peak_sram_bytes);
  EXPECT_EQ(r["search_peak_sram_bytes"], cost->peak_sram_bytes);
  auto data = LoadDataset("fashion-mnist");
  ASSERT_TRUE(data.ok());
  auto executor = Executor::Create(std::move(compiled).value());
  ASSERT_TRUE(executor.ok()) << executor.status().message();
  EvaluateOptions first400;
  first400.limit = 400;
  auto again = EvaluateClassifier(**executor, data->test, data->num_classes, first400);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_DOUBLE_EQ(again->top1, int8_acc);  // (b) through the file, not only in memory

  // Forced quantisation-aware training keeps whichever is better on held-out
  // images; with a device, the firmware runs test images exactly as the host.
  const fs::path qat_model = dir / "qat.tflite";
  const CliRun qat = Cli("export '" + run.string() + "' -o '" + qat_model.string() +
                             "' --calibration-images 256 --test-images 200 --qat-threshold 0 "
                             "--qat-steps 20 --device stm32l432 --firmware-images 2 --json",
                         dir);
  ASSERT_EQ(qat.rc, 0) << qat.err;
  const nlohmann::json q = nlohmann::json::parse(qat.out);
  ASSERT_TRUE(q.contains("qat_val_accuracy")) << q.dump();
  EXPECT_EQ(q["qat_steps"], 20);
  EXPECT_EQ(q["quantisation"],
            q["qat_val_accuracy"].get<double>() > q["ptq_val_accuracy"].get<double>() ? "qat"
                                                                                        : "ptq");
  EXPECT_EQ(q["ptq_val_accuracy"], r["ptq_val_accuracy"]);  // the same post-training model
  EXPECT_FALSE(fs::exists(run / "qat.ckpt"));  // the resume point goes once exported
  EXPECT_EQ(q["device"], "stm32l432");
  EXPECT_TRUE(q["firmware"]["bit_exact"].get<bool>()) << q.dump();
  EXPECT_EQ(q["firmware"]["arena_bytes"], cost->peak_sram_bytes);
  EXPECT_LE(q["firmware"]["flash_bytes"].get<int64_t>(),
            q["search_flash_estimate_bytes"].get<int64_t>());
  EXPECT_EQ(q["firmware"]["predicted"].size(), 2u);
  EXPECT_TRUE(fs::exists(run / "firmware" / "model" / "model.h"));

  // Bad input: one line naming the file, exit 1, nothing written.
  const CliRun no_device =
      Cli("export '" + run.string() + "' -o '" + none_path(dir) + "' --device nosuch", dir);
  EXPECT_EQ(no_device.rc, 1 << 8);
  EXPECT_NE(no_device.err.find("device 'nosuch' is not in the built-in devices.json (known: "),
            std::string::npos)
      << no_device.err;
  const CliRun negative_qat =
      Cli("export '" + run.string() + "' -o '" + none_path(dir) + "' --qat-steps -1", dir);
  EXPECT_EQ(negative_qat.rc, 1 << 8);
  EXPECT_NE(negative_qat.err.find("--qat-steps -1"), std::string::npos) << negative_qat.err;
  const fs::path none = dir / "none.tflite";
  for (const std::string count : {"0", "100000"}) {
    const CliRun bad = Cli("export '" + run.string() + "' -o '" + none.string() +
                            "' --calibration-images " + count,
                        dir);
    EXPECT_EQ(bad.rc, 1 << 8) << bad.err;
    EXPECT_NE(bad.err.find("--calibration-images " + count), std::string::npos) << bad.err;
  }
  const fs::path broken = dir / "broken";
  fs::create_directories(broken);
  for (const char* f : {"config.json", "trained_arch.json"}) fs::copy_file(run / f, broken / f);
  {
    const std::string weights = ReadText(run / "trained_weights.pt");
    std::ofstream(broken / "trained_weights.pt", std::ios::binary) << weights.substr(0, 2000);
  }
  const CliRun corrupt = Cli("export '" + broken.string() + "' -o '" + none.string() + "'", dir);
  EXPECT_EQ(corrupt.rc, 1 << 8);
  EXPECT_NE(corrupt.err.find((broken / "trained_weights.pt").string()), std::string::npos)
      << corrupt.err;
  EXPECT_EQ(std::count(corrupt.err.begin(), corrupt.err.end(), '\n'), 1) << corrupt.err;
  fs::remove(broken / "trained_weights.pt");
  const CliRun missing = Cli("export '" + broken.string() + "' -o '" + none.string() + "'", dir);
  EXPECT_EQ(missing.rc, 1 << 8);
  EXPECT_NE(missing.err.find("trained_weights.pt: missing"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(none));
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mcunet
