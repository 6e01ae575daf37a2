// `mcunet report`: one self-contained HTML page whose figures are analyze's,
// rendered by headless Chromium without a console message.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_data.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;

std::string RunShell(const std::string& command, int* exit_code) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

std::string ReadText(const fs::path& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string Thousands(int64_t v) {
  std::string d = std::to_string(v);
  for (int i = static_cast<int>(d.size()) - 3; i > 0; i -= 3) d.insert(i, ",");
  return d;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs them in parallel processes.
    dir_ = fs::temp_directory_path() /
           (std::string("mcunet_report_") +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ReportTest, ModelPageHoldsAnalyzesFiguresAndNeedsNoNetwork) {
  const std::string model = testing::ModelPath("tflm_person_detect");
  const fs::path page = dir_ / "person.html";
  int rc = 0;
  std::string out = RunShell(
      fmt::format("{} report {} --device stm32f746 -o {}", MCUNET_CLI_PATH, model, page.string()),
      &rc);
  ASSERT_EQ(rc, 0) << out;
  const std::string html = ReadText(page);
  const nlohmann::json analyzed =
      nlohmann::json::parse(RunShell(fmt::format("{} analyze --json {}", MCUNET_CLI_PATH, model), &rc));
  ASSERT_EQ(rc, 0);
  // The same figures under the same names as analyze --json.
  for (const char* key : {"peak_sram_bytes", "baseline_sram_bytes", "lower_bound_bytes",
                          "flash_bytes", "data_flash_bytes", "macs", "params"}) {
    EXPECT_NE(html.find(Thousands(analyzed[key].get<int64_t>())), std::string::npos) << key;
  }
  // One table row per layer, the busiest marked; both plots inline.
  const size_t layers = analyzed["layers"].size();
  const size_t start = html.find("Layers (execution order");
  ASSERT_NE(start, std::string::npos);
  const std::string table = html.substr(start, html.find("</table>", start) - start);
  EXPECT_EQ(Occurrences(table, "<tr><td>") + Occurrences(table, "<tr class='mark'><td>"), layers);
  EXPECT_EQ(Occurrences(table, "<tr class='mark'><td>"), 1u);
  EXPECT_GE(Occurrences(html, "<svg "), 2u);
  EXPECT_NE(html.find("stm32f746"), std::string::npos);
  EXPECT_NE(html.find("<td>fits</td>"), std::string::npos);
  // Self-contained: nothing to fetch.
  for (const char* fetch : {"src=", "href=", "url(", "@import"}) {
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;
  }
}

// Chromium (Debian's, installed by scripts/install_deps.sh) renders the page
// headless: a screenshot is taken and the console stays silent.
TEST_F(ReportTest, RendersInHeadlessChromiumWithoutConsoleErrors) {
  if (!fs::exists("/usr/bin/chromium")) GTEST_SKIP() << "chromium is not installed (make deps)";
  const fs::path page = dir_ / "report.html", shot = dir_ / "report.png";
  int rc = 0;
  std::string out =
      RunShell(fmt::format("{} report {} -o {}", MCUNET_CLI_PATH,
                      testing::ModelPath("mlperf_tiny_ic_resnet8_int8"), page.string()),
          &rc);
  ASSERT_EQ(rc, 0) << out;
  const std::string log = RunShell(
      fmt::format("timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
                  "--disable-quic --no-first-run --disable-background-networking "
                  "--disable-component-update --disable-sync --user-data-dir={} "
                  "--enable-logging=stderr --v=0 --window-size=1200,3000 --screenshot={} file://{}",
                  (dir_ / "profile").string(), shot.string(), page.string()),
      &rc);
  EXPECT_EQ(rc, 0) << log;
  ASSERT_TRUE(fs::exists(shot)) << log;
  EXPECT_GT(fs::file_size(shot), 20000u) << "a blank page is a few kB";
  EXPECT_EQ(log.find(":CONSOLE("), std::string::npos) << log;
}

TEST_F(ReportTest, FolderWithoutASearchIsOneErrorAndWritesNothing) {
  const fs::path page = dir_ / "x.html";
  int rc = 0;
  const std::string out =
      RunShell(fmt::format("{} report {} -o {}", MCUNET_CLI_PATH, dir_.string(), page.string()), &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("not a search folder (no readable summary.json)"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(page));
}

}  // namespace
}  // namespace mcunet
