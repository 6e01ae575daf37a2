// A one-line progress bar on stderr with rate and ETA, redrawn at most 5 times
// a second; a new phase name starts a new line.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace mcunet {

class ProgressBar {
 public:
  void Update(const std::string& phase, int64_t done, int64_t total, const std::string& info);
  void Finish();  // ends the current line

 private:
  std::string phase_;
  int64_t first_done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool open_ = false;
};

}  // namespace mcunet
