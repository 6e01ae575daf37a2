// Reading a file the user named: one clear error when the path is missing, is a
// directory or anything else that is not a regular file, or cannot be read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace mcunet {

// Limit of what we read whole into memory (models, inputs, configs).
constexpr uint64_t kMaxReadBytes = uint64_t{1} << 31;

Expected<std::vector<uint8_t>> ReadFileBytes(const std::string& path);
Expected<std::string> ReadFileText(const std::string& path);

}  // namespace mcunet
