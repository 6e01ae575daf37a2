// Network configs: parsing, errors, and the released MCUNet networks built as
// int8 graphs whose MACs and parameters equal the published figures (archs/README.md).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "arch/arch_builder.h"
#include "runtime/executor.h"
#include "test_data.h"

namespace mcunet {
namespace {

struct Published {
  const char* file;
  double macs_m;    // millions, as printed
  double params_m;  // millions, as printed
};

// archs/README.md
constexpr Published kReleased[] = {
    {"mcunet-10fps_imagenet", 6.4, 0.75},
    {"mcunet-5fps_imagenet", 12.8, 0.64},
    {"mcunet-256kb-1mb_imagenet", 67.3, 0.73},
    {"mcunet-320kb-1mb_imagenet", 81.8, 0.74},
    {"mcunet-512kb-2mb_imagenet", 125.9, 1.73},
    {"mbv2-w0.35-r144_imagenet", 23.5, 0.75},
    {"proxyless-w0.3-r176_imagenet", 38.3, 0.75},
    {"mcunet-256kb-1mb-int4_imagenet", 134.5, 1.40},
    {"mcunet-320kb-1mb-int4_imagenet", 170.0, 1.40},
    {"mcunet-512kb-2mb-int4_imagenet", 466.8, 3.26},
};

TEST(Arch, ReleasedNetworksMatchPublishedMacsAndParams) {
  for (const Published& p : kReleased) {
    auto arch = ReadArchFile(testing::SourcePath(fmt::format("archs/{}.json", p.file)));
    ASSERT_TRUE(arch.ok()) << arch.status().message();
    auto graph = BuildArchGraph(*arch);
    ASSERT_TRUE(graph.ok()) << graph.status().message();
    int64_t macs = 0;
    for (const Node& n : graph->nodes) macs += GetOpDefinition(n.kind).macs(*graph, n);
    EXPECT_DOUBLE_EQ(std::round(macs / 1e5) / 10, p.macs_m) << p.file << " " << macs;
    EXPECT_DOUBLE_EQ(std::round(ArchTrainingParams(*arch) / 1e4) / 100, p.params_m) << p.file;
  }
}

TEST(Arch, BuiltGraphPreparesPlansAndRuns) {
  auto arch = ReadArchFile(testing::SourcePath("archs/mcunet-10fps_imagenet.json"));
  ASSERT_TRUE(arch.ok());
  auto graph = BuildArchGraph(*arch);
  ASSERT_TRUE(graph.ok());
  auto ex = Executor::Create(std::move(graph).value());
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  std::vector<uint8_t> input(48 * 48 * 3, 7);
  ASSERT_TRUE((*ex)->SetInput(0, input).ok());
  ASSERT_TRUE((*ex)->Invoke().ok());
  EXPECT_EQ((*ex)->Output(0).size(), 1000u);
  const MemoryPlan& mp = (*ex)->memory_plan();
  EXPECT_EQ(FindOverlap(mp.requests, mp.plan), "");
  EXPECT_LE(mp.plan.arena_bytes, mp.baseline.arena_bytes);
}

TEST(Arch, SameSeedSameGraphOtherSeedOtherWeights) {
  auto arch = ReadArchFile(testing::SourcePath("archs/mcunet-10fps_imagenet.json"));
  ASSERT_TRUE(arch.ok());
  auto a = BuildArchGraph(*arch), b = BuildArchGraph(*arch);
  ArchBuildOptions other;
  other.seed = 2;
  auto c = BuildArchGraph(*arch, other);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->tensors[2].data, b->tensors[2].data);
  EXPECT_NE(a->tensors[2].data, c->tensors[2].data);
}

TEST(Arch, BadConfigsNameWhatIsWrong) {
  const std::string base = R"({"resolution": 32,
    "first_conv": {"in_channels": 3, "out_channels": 8, "kernel_size": 3, "stride": 2, "act_func": "relu6"},
    "blocks": [{"mobile_inverted_conv": {"name": "MBInvertedConvLayer", "in_channels": IN,
                "out_channels": 8, "kernel_size": K, "stride": 1, "expand_ratio": 3, "mid_channels": 24},
                "shortcut": null}],
    "classifier": {"in_features": 8, "out_features": 10}})";
  const auto config = [&](const char* in, const char* k) {
    std::string s = base;
    s.replace(s.find("IN"), 2, in);
    s.replace(s.find("K"), 1, k);
    return s;
  };
  EXPECT_TRUE(ParseArchJson(config("8", "3")).ok());
  EXPECT_NE(ParseArchJson(config("16", "3"))
                .status()
                .message()
                .find("blocks[0]: takes 16 channels but the previous layer gives 8"),
            std::string::npos);
  EXPECT_NE(ParseArchJson(config("8", "4")).status().message().find("kernel size 4 must be odd"),
            std::string::npos);
  EXPECT_NE(ParseArchJson("{not json").status().message().find("invalid arch JSON"),
            std::string::npos);
  EXPECT_NE(ReadArchFile("/nonexistent.json").status().message().find("no such file"),
            std::string::npos);
}

}  // namespace
}  // namespace mcunet
