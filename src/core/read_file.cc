#include "core/read_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace mcunet {
namespace {

// Size of a regular file, or why `path` is not one we can read.
Expected<uint64_t> RegularFileSize(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return Status::Error(path + ": no such file");
  if (std::filesystem::is_directory(status)) {
    return Status::Error(path + ": is a directory, not a file");
  }
  if (!std::filesystem::is_regular_file(status)) return Status::Error(path + ": not a regular file");
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::Error(fmt::format("{}: cannot read its size: {}", path, ec.message()));
  if (size > kMaxReadBytes) {
    return Status::Error(fmt::format("{}: {} bytes is larger than the {} bytes we read", path,
                                     size, kMaxReadBytes));
  }
  return size;
}

}  // namespace

Expected<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  MCUNET_ASSIGN_OR_RETURN(const uint64_t size, RegularFileSize(path));
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::Error(path + ": cannot open file (permission?)");
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (size > 0 && !file.read(reinterpret_cast<char*>(bytes.data()),
                             static_cast<std::streamsize>(size))) {
    return Status::Error(path + ": read failed");
  }
  return bytes;
}

Expected<std::string> ReadFileText(const std::string& path) {
  MCUNET_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace mcunet
