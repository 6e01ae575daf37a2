// Progress of long work on stderr, as command-line tools do it: on a terminal a
// bar redrawn in place (at most 5 times a second) with rate and ETA; piped or
// redirected, plain lines instead of carriage returns: a phase's start, then
// at most one line every 10 s, and its end. Every plain line (and every Log
// line) can also go, time-stamped, into a log file in the command's output
// folder.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace mcunet {

// 05:07, or 1:02:03 from an hour on.
std::string FormatClock(double seconds);

class ProgressBar {
 public:
  ProgressBar();  // stderr; a bar when stderr is a terminal
  ProgressBar(std::FILE* out, bool terminal);

  void Update(const std::string& phase, int64_t done, int64_t total, const std::string& info);
  void Finish();  // ends the current line
  // A line of its own (ends the bar first).
  void Log(const std::string& line);
  // A line for the log file only (the command that started the run).
  void Record(const std::string& line) { AppendToLog(line); }
  // Appends the plain lines to `path` from now on. Lines are held back while
  // the folder does not exist yet, so a refused command leaves nothing behind.
  void SetLogFile(std::string path);

 private:
  void PrintLine(const std::string& line);  // to the log, and to `out_` when not a terminal
  void AppendToLog(const std::string& line);

  std::FILE* out_;
  bool terminal_;
  std::string phase_, log_path_;
  std::vector<std::string> held_;  // log lines waiting for the folder
  int64_t first_done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_, last_line_;
  bool open_ = false;
};

}  // namespace mcunet
