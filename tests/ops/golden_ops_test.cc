// Every one-operator model in tests/golden_ops (TF Lite Micro 90b983c reference
// kernels) through the real reader and LoadModel: every case's outputs must
// match byte for byte. An operator's golden folders are copied there when the
// operator is added (docs/adding-an-operator.md); this file needs no edit.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet {
namespace {

using testing::OpsGoldenDir;
using testing::OpsGoldenModels;
using testing::OpsManifest;
using testing::OpsModelPath;
using testing::ReadBytes;

// "" when equal, else where and by how much the bytes differ.
std::string Difference(std::span<const uint8_t> got, const std::vector<uint8_t>& expected) {
  if (got.size() != expected.size()) {
    return fmt::format("{} bytes, TFLM {}", got.size(), expected.size());
  }
  int64_t first = -1, count = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] == expected[i]) continue;
    if (first < 0) first = static_cast<int64_t>(i);
    ++count;
  }
  if (count == 0) return "";
  return fmt::format("{} of {} bytes differ, first at {} (got {}, TFLM {})", count, got.size(),
                     first, static_cast<int8_t>(got[first]), static_cast<int8_t>(expected[first]));
}

class GoldenOpsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenOpsTest, EveryCaseMatchesTflm) {
  const std::string stem = GetParam();
  const auto manifest = OpsManifest(stem);
  auto executor = LoadModel(OpsModelPath(stem));
  ASSERT_TRUE(executor.ok()) << executor.status().message();
  Executor& ex = **executor;
  ASSERT_FALSE(manifest["cases"].empty());
  for (const auto& c : manifest["cases"]) {
    ex.Reset();  // each case is one Invoke from the initial state (stateful models)
    for (size_t i = 0; i < c["inputs"].size(); ++i) {
      const Status s =
          ex.SetInput(i, ReadBytes(OpsGoldenDir(stem) + "/" + c["inputs"][i].get<std::string>()));
      ASSERT_TRUE(s.ok()) << s.message();
    }
    const Status s = ex.Invoke();
    ASSERT_TRUE(s.ok()) << s.message();
    for (size_t i = 0; i < c["outputs"].size(); ++i) {
      const auto expected =
          ReadBytes(OpsGoldenDir(stem) + "/" + c["outputs"][i].get<std::string>());
      EXPECT_EQ(Difference(ex.Output(i), expected), "")
          << stem << " (" << manifest["op_model"]["op"] << ") " << c["name"] << " output " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, GoldenOpsTest, ::testing::ValuesIn(OpsGoldenModels()),
                         [](const auto& info) { return testing::TestName(info.param); });

}  // namespace
}  // namespace mcunet
