#include "core/progress_bar.h"

#include <fmt/chrono.h>
#include <fmt/core.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>

namespace mcunet {

std::string FormatClock(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{:02}:{:02}", s / 60, s % 60);
}

namespace {

constexpr auto kRedraw = std::chrono::milliseconds(200);
constexpr auto kPlainLineEvery = std::chrono::seconds(10);

}  // namespace

ProgressBar::ProgressBar() : ProgressBar(stderr, isatty(fileno(stderr)) != 0) {}

ProgressBar::ProgressBar(std::FILE* out, bool terminal) : out_(out), terminal_(terminal) {}

void ProgressBar::Update(const std::string& phase, int64_t done, int64_t total,
                         const std::string& info) {
  const auto now = std::chrono::steady_clock::now();
  const bool new_phase = phase != phase_;
  if (new_phase) {
    Finish();
    phase_ = phase;
    start_ = now;
    first_done_ = done - 1;  // a resumed phase: the rate counts this run's work only
    last_draw_ = last_line_ = {};
  }
  const bool last = done >= total;
  if (!last && now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? (done - first_done_) / elapsed : 0;
  const std::string eta = rate > 0 ? FormatClock((total - done) / rate) : "--:--";
  const std::string info_part = info.empty() ? "" : ", " + info;
  const std::string plain =
      fmt::format("{}: {}/{} ({:.0f} %), {} elapsed, ETA {}{}", phase, done, total,
                  total > 0 ? 100.0 * done / total : 0.0, FormatClock(elapsed), eta, info_part);
  if (new_phase || last || now - last_line_ >= kPlainLineEvery) {
    last_line_ = now;
    PrintLine(plain);
  }
  if (terminal_) {
    const int width = 30, filled = total > 0 ? static_cast<int>(width * done / total) : 0;
    fmt::print(out_, "\r{:<22} [{}{}] {}/{} {} elapsed, ETA {} {}   ", phase,
               std::string(filled, '#'), std::string(width - filled, '.'), done, total,
               FormatClock(elapsed), eta, info);
    std::fflush(out_);
    open_ = true;
  }
  if (last) Finish();
}

void ProgressBar::Finish() {
  if (open_) fmt::print(out_, "\n");
  open_ = false;
  phase_.clear();
}

void ProgressBar::Log(const std::string& line) {
  Finish();
  fmt::print(out_, "{}\n", line);
  AppendToLog(line);
}

void ProgressBar::SetLogFile(std::string path) { log_path_ = std::move(path); }

void ProgressBar::PrintLine(const std::string& line) {
  if (!terminal_) fmt::print(out_, "{}\n", line);
  AppendToLog(line);
}

void ProgressBar::AppendToLog(const std::string& line) {
  if (log_path_.empty()) return;
  const std::time_t t = std::time(nullptr);
  held_.push_back(fmt::format("{:%Y-%m-%d %H:%M:%S}  {}", fmt::localtime(t), line));
  std::filesystem::path folder = std::filesystem::path(log_path_).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) return;
  std::ofstream log(log_path_, std::ios::app);
  for (const std::string& held : held_) log << held << '\n';
  held_.clear();
}

}  // namespace mcunet
