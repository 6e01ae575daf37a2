#include "core/atomic_file.h"

#include <filesystem>
#include <fstream>

namespace mcunet {

std::string TempPathFor(const std::string& path) { return path + ".tmp"; }

Status CommitFile(const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(TempPathFor(path), path, ec);
  if (ec) return Status::Error(path + ": " + ec.message());
  return OkStatus();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  {
    std::ofstream out(TempPathFor(path), std::ios::binary | std::ios::trunc);
    if (!out) return Status::Error(path + ": cannot create file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::Error(path + ": write failed");
  }
  return CommitFile(path);
}

}  // namespace mcunet
