#include "core/progress_bar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mcunet {
namespace {

std::string Contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string text;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) text.append(buf, n);
  return text;
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Piped: no carriage return, and a fast phase prints its start and its end only.
TEST(ProgressBar, PipedPrintsPlainLinesNotCarriageReturns) {
  std::FILE* out = std::tmpfile();
  ProgressBar bar(out, /*terminal=*/false);
  for (int i = 1; i <= 1000; ++i) bar.Update("final training", i, 1000, "loss 0.5");
  bar.Log("stage 1: best space w0.5-r32");
  for (int i = 1; i <= 10; ++i) bar.Update("evolution", i, 10, "");
  const std::string text = Contents(out);
  std::fclose(out);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(Lines(text), 5) << text;
  EXPECT_NE(text.find("final training: 1/1000 (0 %)"), std::string::npos) << text;
  EXPECT_NE(text.find("final training: 1000/1000 (100 %)"), std::string::npos) << text;
  EXPECT_NE(text.find("loss 0.5"), std::string::npos) << text;
  EXPECT_NE(text.find("evolution: 10/10 (100 %)"), std::string::npos) << text;
}

// On a terminal the bar is redrawn in place and each phase ends its line.
TEST(ProgressBar, TerminalRedrawsInPlace) {
  std::FILE* out = std::tmpfile();
  ProgressBar bar(out, /*terminal=*/true);
  for (int i = 1; i <= 3; ++i) bar.Update("supernet", i, 3, "");
  const std::string text = Contents(out);
  std::fclose(out);
  EXPECT_EQ(text.front(), '\r');
  EXPECT_EQ(Lines(text), 1) << text;
  EXPECT_NE(text.find("] 3/3"), std::string::npos) << text;
}

// The log holds the plain lines, time-stamped; lines written before the output
// folder exists wait for it, and none is written if it never appears.
TEST(ProgressBar, LogWaitsForTheOutputFolder) {
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_progress_log";
  std::filesystem::remove_all(dir);
  std::FILE* out = std::tmpfile();
  {
    ProgressBar bar(out, /*terminal=*/true);
    bar.SetLogFile((dir / "mcunet.log").string());
    bar.Record("mcunet search --budget smoke");  // the log only
    bar.Log("checking the data set");
    EXPECT_FALSE(std::filesystem::exists(dir));
    std::filesystem::create_directories(dir);
    bar.Update("supernet", 1, 2, "");
    bar.Update("supernet", 2, 2, "");
  }
  EXPECT_EQ(Contents(out).find("mcunet search"), std::string::npos);  // not on the terminal
  std::fclose(out);
  std::ifstream log(dir / "mcunet.log");
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_EQ(Lines(text.str()), 4) << text.str();
  EXPECT_NE(text.str().find("  mcunet search --budget smoke\n"), std::string::npos);
  EXPECT_NE(text.str().find("  checking the data set\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("  supernet: 2/2 (100 %)"), std::string::npos) << text.str();
  EXPECT_EQ(text.str().find('\r'), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mcunet
