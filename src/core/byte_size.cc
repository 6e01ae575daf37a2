#include "core/byte_size.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace mcunet {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Multiplier of a suffix, 0 when it is not one.
int64_t SuffixScale(std::string_view suffix) {
  const std::string s = Lower(suffix);
  if (s.empty() || s == "b") return 1;
  if (s == "k" || s == "kb" || s == "kib") return int64_t{1} << 10;
  if (s == "m" || s == "mb" || s == "mib") return int64_t{1} << 20;
  if (s == "g" || s == "gb" || s == "gib") return int64_t{1} << 30;
  return 0;
}

}  // namespace

Expected<int64_t> ParseByteSize(std::string_view text) {
  const auto bad = [&](const char* why) {
    return Status::Error(fmt::format(
        "'{}' is not a memory size: {} (write bytes or a number with k, KB, KiB, M, MB, MiB; "
        "all binary, 64k = 65536)",
        text, why));
  };
  size_t end = 0;
  while (end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) {
    ++end;
  }
  const std::string number(text.substr(0, end));
  std::string_view suffix = text.substr(end);
  while (!suffix.empty() && suffix.front() == ' ') suffix.remove_prefix(1);
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1 || number == ".") {
    return bad("no number");
  }
  const int64_t scale = SuffixScale(suffix);
  if (scale == 0) return bad("unknown unit");
  // strtod, not stod: a number past double's range reads as infinity, not an exception.
  const double value = std::strtod(number.c_str(), nullptr) * static_cast<double>(scale);
  if (!(value >= 1) || value > 9e15) return bad("out of range");
  if (value != std::floor(value)) return bad("not a whole number of bytes");
  return static_cast<int64_t>(value);
}

}  // namespace mcunet
