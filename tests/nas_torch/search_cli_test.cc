// `mcunet search --budget smoke --device`, killed (SIGKILL) once its supernet
// has a checkpoint, then started again with the same command: it resumes from
// that checkpoint and completes with int8 models and QEMU-checked firmware of
// the searched network and both baselines, whose arenas are the SRAM the
// search measured (the co-design), as `mcunet analyze` measures it too.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_data.h"

namespace {

namespace fs = std::filesystem;

using mcunet::testing::ReadText;

TEST(SearchCli, KilledSmokeSearchResumesAndFinishes) {
  const fs::path dir = fs::temp_directory_path() / "mcunet_search_cli";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path out = dir / "run";
  const std::vector<std::string> args = {
      MCUNET_CLI_PATH, "search", "--budget", "smoke", "--device", "stm32l432",  // 64 / 256 kB
      "--width", "0.3", "--resolution", "32", "--firmware-images", "3", "--out", out.string()};

  // First run, killed without warning once the supernet checkpoint exists.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    freopen((dir / "first.log").c_str(), "w", stderr);
    freopen("/dev/null", "w", stdout);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  bool checkpointed = false;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(out / "supernet.ckpt")) {
      checkpointed = true;
      break;
    }
    if (waitpid(child, &status, WNOHANG) == child) break;  // ended early: fail below
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  ASSERT_TRUE(checkpointed) << ReadText(dir / "first.log");
  ASSERT_FALSE(fs::exists(out / "summary.json"));

  // Same command again.
  std::string command;
  for (const std::string& a : args) command += "'" + a + "' ";
  const int rc = std::system((command + "> " + (dir / "second.json").string() + " 2> " +
                              (dir / "second.log").string())
                                 .c_str());
  const std::string log = ReadText(dir / "second.log");
  ASSERT_EQ(rc, 0) << log;
  EXPECT_NE(log.find("resuming the run in"), std::string::npos) << log;
  // Checkpoints come every 50 steps; the kill lands after the first.
  EXPECT_NE(log.find("supernet: resumed at step "), std::string::npos) << log;
  EXPECT_EQ(log.find("supernet: resumed at step 0"), std::string::npos) << log;
  // Piped: plain progress lines, phases numbered and in words; all in OUT/mcunet.log too.
  EXPECT_EQ(log.find('\r'), std::string::npos);
  EXPECT_NE(log.find("[3/7] evolution: "), std::string::npos) << log;
  EXPECT_NE(log.find("[4/7] final training: training from the supernet's weights: "),
            std::string::npos)
      << log;
  // The whole run's ETA, from the work this resumed process has done.
  EXPECT_NE(log.find(", whole run ETA about "), std::string::npos) << log;
  const std::string run_log = ReadText(out / "mcunet.log");
  EXPECT_NE(run_log.find("  mcunet search --budget smoke --device stm32l432"), std::string::npos)
      << run_log;
  EXPECT_NE(run_log.find("  [2/7] supernet training: "), std::string::npos) << run_log;
  EXPECT_NE(run_log.find("  [7/7] int8 export: searched network, "), std::string::npos) << run_log;

  const nlohmann::json s = nlohmann::json::parse(ReadText(out / "summary.json"));
  EXPECT_TRUE(s["complete"].get<bool>());
  EXPECT_GT(s["test_accuracy"].get<double>(), 0.3);  // 10 classes: chance is 0.1
  EXPECT_LE(s["peak_sram_bytes"].get<int64_t>(), 65536);
  EXPECT_LE(s["flash_bytes"].get<int64_t>(), 262144);
  // Training parameters under their own name (analyze's params counts int8 weights).
  EXPECT_GT(s.value("training_params", int64_t{0}), 0);
  EXPECT_FALSE(s.contains("params"));
  for (const char* f : {"best_arch.json", "best_weights.pt", "pareto.json", "pareto.svg",
                        "search_log.json", "stage1.json"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  // Final training kept the start with the better held-out accuracy, and only its weights.
  const nlohmann::json f = nlohmann::json::parse(ReadText(out / "final.json"));
  const bool scratch = f["init"] == "scratch";
  EXPECT_TRUE(scratch || f["init"] == "supernet") << f.dump();
  EXPECT_EQ(f["val_accuracy"], f[scratch ? "val_accuracy_from_scratch" : "val_accuracy_from_supernet"]);
  EXPECT_GE(f["val_accuracy"].get<double>(),
            f[scratch ? "val_accuracy_from_supernet" : "val_accuracy_from_scratch"].get<double>());
  EXPECT_FALSE(fs::exists(out / "final_from_scratch.pt"));
  EXPECT_FALSE(fs::exists(out / "final_from_supernet.pt"));

  // `train --arch` trains the winner alone from scratch and measures it as the search did.
  const std::string train = "'" + std::string(MCUNET_CLI_PATH) + "' train --budget smoke " +
                            "--final-steps 40 --json --arch '" + (out / "best_arch.json").string() +
                            "' --out '" + (dir / "trained").string() + "'";
  const int trc = std::system((train + " > " + (dir / "trained.json").string() + " 2> " +
                               (dir / "trained.log").string())
                                  .c_str());
  ASSERT_EQ(trc, 0) << ReadText(dir / "trained.log");
  const nlohmann::json t = nlohmann::json::parse(ReadText(dir / "trained.json"));
  EXPECT_GT(t["test_accuracy"].get<double>(), 0.2);  // 40 steps; chance is 0.1
  EXPECT_EQ(t["peak_sram_bytes"], s["peak_sram_bytes"]);
  EXPECT_EQ(t["flash_bytes"], s["flash_bytes"]);
  EXPECT_TRUE(fs::exists(dir / "trained" / "trained_weights.pt"));
  // ... and refuses, before training, a network that does not fit the budget given.
  const int frc = std::system(("'" + std::string(MCUNET_CLI_PATH) + "' train --budget smoke " +
                               "--sram 4096 --flash 262144 --arch '" +
                               (out / "best_arch.json").string() + "' --out '" +
                               (dir / "too_big").string() + "' > /dev/null 2> " +
                               (dir / "too_big.log").string())
                                  .c_str());
  EXPECT_NE(frc, 0);
  EXPECT_NE(ReadText(dir / "too_big.log").find("does not fit: peak SRAM"), std::string::npos)
      << ReadText(dir / "too_big.log");
  EXPECT_FALSE(fs::exists(dir / "too_big"));  // nothing written

  // Evolution with other options on the same folder is refused, not silently resumed;
  // tie-aware parents are an option of the log, on the run's held-out images.
  for (const std::string option : {"--population 7", "--selection macs-among-ties"}) {
    std::string evolve = "'" + std::string(MCUNET_CLI_PATH) + "' evolve " + option;
    for (size_t i = 2; i < args.size(); ++i) {
      if (args[i] != "--no-baselines") evolve += " '" + args[i] + "'";
    }
    const int erc = std::system((evolve + " > /dev/null 2> " + (dir / "evolve.log").string()).c_str());
    const std::string elog = ReadText(dir / "evolve.log");
    EXPECT_NE(erc, 0) << elog;
    EXPECT_NE(elog.find("search_log.json was searched with"), std::string::npos) << elog;
    if (option.find("selection") != std::string::npos) {
      EXPECT_NE(elog.find("\"tie_holdout_images\":1000"), std::string::npos) << elog;
    }
  }

  // The engine measures the searched arch as the search did (the co-design).
  const int arc = std::system((std::string(MCUNET_CLI_PATH) + " analyze --json --arch " +
                               (out / "best_arch.json").string() + " > " +
                               (dir / "analyze.json").string())
                                  .c_str());
  ASSERT_EQ(arc, 0);
  const nlohmann::json a = nlohmann::json::parse(ReadText(dir / "analyze.json"));
  EXPECT_EQ(a["peak_sram_bytes"].get<int64_t>(), s["peak_sram_bytes"].get<int64_t>());
  EXPECT_EQ(a["macs"].get<int64_t>(), s["macs"].get<int64_t>());

  // Every network ends as an int8 .tflite and a firmware that runs it on the
  // device's core exactly as the host runtime does, in the SRAM the search
  // promised and within the Flash it estimated.
  const std::vector<std::pair<std::string, nlohmann::json>> networks = {
      {"searched", s["searched"]},
      {"mobilenetv2", s["baselines"]["mobilenetv2"]},
      {"random_search", s["baselines"]["random_search"]}};
  for (const auto& [name, r] : networks) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(r.contains("int8")) << r.dump();
    const nlohmann::json& q = r["int8"];
    const int64_t searched_sram = r["peak_sram_bytes"].get<int64_t>();
    EXPECT_EQ(q["search_peak_sram_bytes"].get<int64_t>(), searched_sram);
    EXPECT_EQ(q["peak_sram_bytes"].get<int64_t>(), searched_sram);
    EXPECT_EQ(q["firmware"]["arena_bytes"].get<int64_t>(), searched_sram);
    EXPECT_TRUE(q["firmware"]["bit_exact"].get<bool>());
    EXPECT_EQ(q["firmware"]["core"], "cortex-m4");
    EXPECT_EQ(q["firmware"]["images"], 3);
    EXPECT_GT(q["firmware"]["instructions"].get<int64_t>(), 0);
    EXPECT_LE(q["firmware"]["flash_bytes"].get<int64_t>(),
              q["search_flash_estimate_bytes"].get<int64_t>());
    EXPECT_EQ(q["search_flash_estimate_bytes"], r["flash_bytes"]);
    // Post-training quantisation keeps the float accuracy to a few points
    // even on these barely trained networks.
    EXPECT_NEAR(q["int8_test_accuracy"].get<double>(), q["float_test_accuracy"].get<double>(), 0.05);
    EXPECT_NEAR(q["float_test_accuracy"].get<double>(), r["test_accuracy"].get<double>(), 1e-9);
    const std::string model = q["output"].get<std::string>();
    const std::string json_out = (dir / (name + "_analyze.json")).string();
    ASSERT_EQ(std::system((std::string(MCUNET_CLI_PATH) + " analyze --json '" + model + "' > '" +
                           json_out + "'")
                              .c_str()),
              0);
    EXPECT_EQ(nlohmann::json::parse(ReadText(json_out))["peak_sram_bytes"].get<int64_t>(),
              searched_sram);
    EXPECT_TRUE(fs::exists(fs::path(q["firmware"]["dir"].get<std::string>()) / "model" / "model.c"));
  }
  EXPECT_EQ(s["model"], (out / "model.tflite").string());
  EXPECT_TRUE(s["firmware"]["bit_exact"].get<bool>());

  // The folder's report shows the summary's figures: each network's int8
  // accuracy, the firmware's instruction count, the searched model's arena.
  const fs::path page = dir / "report.html";
  ASSERT_EQ(std::system(("'" + std::string(MCUNET_CLI_PATH) + "' report '" + out.string() +
                         "' -o '" + page.string() + "' > /dev/null")
                            .c_str()),
            0);
  const std::string html = ReadText(page);
  const auto thousands = [](int64_t v) {
    std::string d = std::to_string(v);
    for (int i = static_cast<int>(d.size()) - 3; i > 0; i -= 3) d.insert(i, ",");
    return d;
  };
  for (const auto& [name, r] : networks) {
    EXPECT_NE(html.find(fmt::format("<td>{:.2f} %</td>",
                                    100 * r["int8"]["int8_test_accuracy"].get<double>())),
              std::string::npos)
        << name;
  }
  EXPECT_NE(html.find(thousands(s["firmware"]["instructions"].get<int64_t>())), std::string::npos);
  EXPECT_NE(html.find(thousands(s["peak_sram_bytes"].get<int64_t>())), std::string::npos);
  EXPECT_NE(html.find("Evolution: held-out accuracy"), std::string::npos);
  fs::remove_all(dir);
}

// `--final-init supernet` (quick's default) fine-tunes the winner from the
// supernet's weights only: no scratch training, and the result says so.
// `--supernet-steps` (shorter than smoke's 160 here) reaches the supernet.
TEST(SearchCli, FinalInitSupernetTrainsOnlyFromTheSupernet) {
  const fs::path dir = fs::temp_directory_path() / "mcunet_search_final_init";
  fs::remove_all(dir);
  const std::string command =
      "'" + std::string(MCUNET_CLI_PATH) + "' search --budget smoke --sram 65536 --flash 262144 " +
      "--width 0.3 --resolution 32 --no-baselines --no-export --final-init supernet " +
      "--final-steps 40 " +
      "--supernet-steps 100 --out '" + (dir / "run").string() + "' > /dev/null 2> '" +
      (dir.string() + ".log") + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << ReadText(dir.string() + ".log");
  const nlohmann::json f = nlohmann::json::parse(ReadText(dir / "run" / "final.json"));
  EXPECT_EQ(f["init"], "supernet");
  EXPECT_EQ(f["val_accuracy"], f["val_accuracy_from_supernet"]);
  EXPECT_FALSE(f.contains("val_accuracy_from_scratch")) << f.dump();
  EXPECT_GT(f["test_accuracy"].get<double>(), 0.2);  // 40 steps; chance is 0.1
  for (const fs::directory_entry& e : fs::directory_iterator(dir / "run")) {
    EXPECT_EQ(e.path().filename().string().find("scratch"), std::string::npos) << e.path();
  }
  const nlohmann::json config = nlohmann::json::parse(ReadText(dir / "run" / "config.json"));
  EXPECT_FALSE(config["budget"]["final_also_from_scratch"].get<bool>());
  EXPECT_EQ(config["budget"]["supernet_steps"], 100);
  const nlohmann::json supernet = nlohmann::json::parse(ReadText(dir / "run" / "supernet.json"));
  EXPECT_EQ(supernet["steps"], 100);
  fs::remove_all(dir);
  fs::remove(dir.string() + ".log");
}

TEST(SearchCli, MissingDatasetAndImpossibleBudgetFailClearly) {
  const std::string cli = MCUNET_CLI_PATH;
  const fs::path dir = fs::temp_directory_path() / "mcunet_search_cli_errors";
  fs::remove_all(dir);
  const auto run = [&](const std::string& args) {
    const std::string log = (dir.string() + ".log");
    const int rc = std::system((cli + " search " + args + " 2> " + log + " > /dev/null").c_str());
    return std::make_pair(rc, ReadText(log));
  };
  auto [rc1, log1] = run("--dataset /no/such/folder --sram 65536 --flash 262144 --out " +
                         dir.string());
  EXPECT_NE(rc1, 0);
  EXPECT_NE(log1.find("neither 'fashion-mnist' nor a folder of IDX files"), std::string::npos)
      << log1;
  fs::remove_all(dir);
  auto [rc2, log2] = run("--budget smoke --sram 2048 --flash 262144 --out " + dir.string());
  EXPECT_NE(rc2, 0);
  EXPECT_NE(log2.find("fits"), std::string::npos) << log2;
  EXPECT_FALSE(fs::exists(dir));  // refused by stage 1: no folder, no config.json left
  // A folder holding another run: each differing setting named, and the way out.
  fs::create_directories(dir);
  {
    std::ofstream other(dir / "config.json");
    other << R"({"dataset": "fashion-mnist", "sram_bytes": 32768})";
  }
  auto [rc4, log4] = run("--budget smoke --sram 65536 --flash 262144 --out " + dir.string());
  EXPECT_NE(rc4, 0);
  EXPECT_NE(log4.find("sram_bytes: 32768 there, 65536 now"), std::string::npos) << log4;
  EXPECT_NE(log4.find("--restart"), std::string::npos) << log4;
  // --restart deletes the earlier run (here stage 1 then refuses the budget).
  auto [rc5, log5] =
      run("--budget smoke --sram 2048 --flash 262144 --restart --out " + dir.string());
  EXPECT_NE(rc5, 0);
  EXPECT_FALSE(fs::exists(dir)) << log5;
  // ... but never a folder that holds no search run.
  fs::create_directories(dir);
  { std::ofstream(dir / "notes.txt") << "mine"; }
  auto [rc6, log6] =
      run("--budget smoke --sram 65536 --flash 262144 --restart --out " + dir.string());
  EXPECT_NE(rc6, 0);
  EXPECT_NE(log6.find("holds no search run"), std::string::npos) << log6;
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  fs::remove_all(dir);
  // Smoke trains the largest subnet alone for its first 40 steps.
  auto [rc3, log3] = run("--budget smoke --sram 65536 --flash 262144 --supernet-steps 40 --out " +
                         dir.string());
  EXPECT_NE(rc3, 0);
  EXPECT_NE(log3.find("--supernet-steps 40: give more than 40"), std::string::npos) << log3;
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
