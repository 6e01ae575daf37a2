#include "core/byte_size.h"

#include <gtest/gtest.h>

namespace mcunet {
namespace {

int64_t Parsed(const char* text) {
  auto v = ParseByteSize(text);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().message();
  return v.ok() ? *v : -1;
}

TEST(ByteSize, BinarySuffixesAsDatasheetsCount) {
  EXPECT_EQ(Parsed("65536"), 65536);
  EXPECT_EQ(Parsed("64k"), 65536);
  EXPECT_EQ(Parsed("64K"), 65536);
  EXPECT_EQ(Parsed("64kB"), 65536);
  EXPECT_EQ(Parsed("64KiB"), 65536);
  EXPECT_EQ(Parsed("320 KB"), 327680);
  EXPECT_EQ(Parsed("1M"), 1048576);
  EXPECT_EQ(Parsed("1MiB"), 1048576);
  EXPECT_EQ(Parsed("1.5MB"), 1572864);
  EXPECT_EQ(Parsed("512B"), 512);
}

TEST(ByteSize, RefusesWhatIsNotASize) {
  const std::string huge(400, '9');  // past double's range
  for (const char* text :
       {"", "k", "64x", "-5", "0", "1.5", "0.1k", "1..2k", "64 k b", "1e3", huge.c_str()}) {
    auto v = ParseByteSize(text);
    EXPECT_FALSE(v.ok()) << text;
    if (!v.ok()) EXPECT_NE(v.status().message().find(text), std::string::npos);
  }
}

}  // namespace
}  // namespace mcunet
