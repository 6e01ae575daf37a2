// The IDX reader on files written here (plain and gzipped), its errors, the
// split, and the facts of the real Fashion-MNIST package when installed.
#include "data/idx_dataset.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace mcunet {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> IdxBytes(std::vector<uint32_t> dims, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> b = {0, 0, 0x08, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(d >> shift));
  }
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

void WriteFile(const fs::path& p, const std::vector<uint8_t>& bytes, bool gzip) {
  if (gzip) {
    gzFile f = gzopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                             static_cast<std::streamsize>(bytes.size()));
  }
}

class IdxFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mcunet_idx_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // 3 RGB training images 2x2 with labels {0, 2, 1}; 2 test images, labels {1, 0}.
  void WriteSet(bool gzip) {
    std::vector<uint8_t> train(3 * 2 * 2 * 3), test(2 * 2 * 2 * 3);
    for (size_t i = 0; i < train.size(); ++i) train[i] = static_cast<uint8_t>(i);
    for (size_t i = 0; i < test.size(); ++i) test[i] = static_cast<uint8_t>(200 + i);
    const std::string z = gzip ? ".gz" : "";
    WriteFile(dir_ / ("train-images-idx3-ubyte" + z), IdxBytes({3, 2, 2, 3}, train), gzip);
    WriteFile(dir_ / ("train-labels-idx1-ubyte" + z), IdxBytes({3}, {0, 2, 1}), gzip);
    WriteFile(dir_ / ("t10k-images-idx3-ubyte" + z), IdxBytes({2, 2, 2, 3}, test), gzip);
    WriteFile(dir_ / ("t10k-labels-idx1-ubyte" + z), IdxBytes({2}, {1, 0}), gzip);
  }
  fs::path dir_;
};

TEST_F(IdxFolder, ReadsGzippedAndPlainFilesWithChannels) {
  for (bool gzip : {true, false}) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    WriteSet(gzip);
    auto d = LoadDataset(dir_.string());
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->train.count, 3);
    EXPECT_EQ(d->train.height, 2);
    EXPECT_EQ(d->train.width, 2);
    EXPECT_EQ(d->train.channels, 3);
    EXPECT_EQ(d->train.labels, (std::vector<int>{0, 2, 1}));
    EXPECT_EQ(d->num_classes, 3);
    EXPECT_EQ(d->train.pixels[13], 13);  // image 1, row 0, column 0, channel 1
    EXPECT_EQ(d->test.pixels[0], 200);
    EXPECT_EQ(d->test.count, 2);
  }
}

TEST_F(IdxFolder, NamesTheFileAndTheProblem) {
  WriteSet(false);
  // Labels and images disagree in count.
  WriteFile(dir_ / "train-labels-idx1-ubyte", IdxBytes({2}, {0, 1}), false);
  auto d = LoadDataset(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("has 3 images but"), std::string::npos)
      << d.status().message();
  // Truncated data.
  WriteSet(false);
  auto bytes = IdxBytes({3, 2, 2, 3}, std::vector<uint8_t>(30));
  WriteFile(dir_ / "train-images-idx3-ubyte", bytes, false);
  d = LoadDataset(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("train-images-idx3-ubyte: holds 30 data bytes, its header says 36"),
            std::string::npos)
      << d.status().message();
  // Wrong magic / element type.
  WriteFile(dir_ / "train-images-idx3-ubyte", {1, 2, 3, 4, 5}, false);
  d = LoadDataset(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("bad magic"), std::string::npos);
  WriteFile(dir_ / "train-images-idx3-ubyte", {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}, false);
  d = LoadDataset(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("0x0d unsupported"), std::string::npos);
  // Missing file.
  fs::remove(dir_ / "t10k-labels-idx1-ubyte");
  d = LoadDataset(dir_.string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("no t10k-labels-idx1-ubyte[.gz]"), std::string::npos);
}

TEST(IdxDataset, MissingPackageSaysHowToInstallIt) {
  auto f = LocateDebianDataset("dataset-does-not-exist", "/nonexistent-dpkg-info");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("apt-get install dataset-does-not-exist"), std::string::npos)
      << f.status().message();
  auto d = LoadDataset("/no/such/folder");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("neither 'fashion-mnist' nor a folder"), std::string::npos);
}

TEST(IdxDataset, SplitIsFixedDisjointAndComplete) {
  const Split a = SplitIndices(1000, 150, 7), b = SplitIndices(1000, 150, 7);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.holdout, b.holdout);
  EXPECT_EQ(a.holdout.size(), 150u);
  std::set<int64_t> all(a.train.begin(), a.train.end());
  for (int64_t i : a.holdout) EXPECT_TRUE(all.insert(i).second) << i << " in both";
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_NE(SplitIndices(1000, 150, 8).holdout, a.holdout);  // the seed matters
}

// Facts of the published data set (Xiao et al. 2017): 60,000 + 10,000 images of
// 28x28 grey pixels, 10 balanced classes.
TEST(IdxDataset, FashionMnistFromTheDebianPackage) {
  if (!fs::exists("/var/lib/dpkg/info/dataset-fashion-mnist.list")) {
    GTEST_SKIP() << "dataset-fashion-mnist is not installed (scripts/install_deps.sh installs it)";
  }
  auto d = LoadDataset("fashion-mnist");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->train.count, 60000);
  EXPECT_EQ(d->test.count, 10000);
  EXPECT_EQ(d->train.height, 28);
  EXPECT_EQ(d->train.width, 28);
  EXPECT_EQ(d->train.channels, 1);
  EXPECT_EQ(d->num_classes, 10);
  std::vector<int> per_class(10);
  for (int l : d->train.labels) ++per_class[l];
  for (int c = 0; c < 10; ++c) EXPECT_EQ(per_class[c], 6000) << "class " << c;
}

}  // namespace
}  // namespace mcunet
