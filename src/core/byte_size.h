// Memory sizes as people write them on a command line: "65536", "64k", "64KiB",
// "1M", "1.5MB". Microcontroller datasheets count kilobytes of 1024 bytes, so
// every suffix here is binary: k = KB = KiB = 1024, M = MB = MiB = 1024^2.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace mcunet {

// A positive whole number of bytes, or an error quoting `text`.
Expected<int64_t> ParseByteSize(std::string_view text);

}  // namespace mcunet
