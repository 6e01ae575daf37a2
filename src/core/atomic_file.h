// Files written whole or not at all: write to a temporary name beside the
// target, then rename over it, so a crash or kill never leaves a torn file.
#pragma once
#include <string>
#include <string_view>

#include "core/status.h"

namespace mcunet {

// Where to write before CommitFile(path) (for writers that take a path, e.g. libtorch's).
std::string TempPathFor(const std::string& path);
// Renames TempPathFor(path) over path.
Status CommitFile(const std::string& path);
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace mcunet
