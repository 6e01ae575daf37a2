// Image-folder data sets (data/image_folder.h): PNG and JPEG files of any size,
// grey or colour, written here with stb_image_write; labels by sorted class
// folder names; undecodable files skipped and counted; layouts that cannot
// make a classifier refused with the folder named.
#include "data/image_folder.h"

#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <filesystem>
#include <fstream>

#include "data/idx_dataset.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;

// A uniform image: resizing keeps every pixel at its value, JPEG nearly so.
void WriteUniform(const fs::path& path, int w, int h, std::vector<uint8_t> colour) {
  fs::create_directories(path.parent_path());
  const int n = static_cast<int>(colour.size());
  std::vector<uint8_t> pixels;
  for (int i = 0; i < w * h; ++i) pixels.insert(pixels.end(), colour.begin(), colour.end());
  const bool ok = path.extension() == ".png"
                      ? stbi_write_png(path.c_str(), w, h, n, pixels.data(), w * n) != 0
                      : stbi_write_jpg(path.c_str(), w, h, n, pixels.data(), 95) != 0;
  ASSERT_TRUE(ok) << path;
}

class ImageFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("mcunet_image_folder_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(ImageFolderTest, ReadsGreyAndColourOfAnySizeAndSkipsBadFiles) {
  WriteUniform(root_ / "train" / "cat" / "a.png", 10, 7, {200});            // grey
  WriteUniform(root_ / "train" / "cat" / "b.jpg", 33, 20, {255, 0, 0});     // colour, red
  WriteUniform(root_ / "train" / "ant" / "c.png", 5, 5, {10, 20, 30, 255}); // RGBA
  WriteUniform(root_ / "test" / "ant" / "d.png", 64, 64, {50});
  WriteUniform(root_ / "test" / "cat" / "e.png", 3, 9, {0, 100, 0});
  std::ofstream(root_ / "train" / "cat" / "broken.png") << "not an image";
  std::ofstream(root_ / "train" / "cat" / ".DS_Store") << "hidden";

  ASSERT_TRUE(IsImageFolder(root_.string()));
  auto data = LoadDataset(root_.string());  // the --dataset entry point
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->class_names, (std::vector<std::string>{"ant", "cat"}));
  EXPECT_EQ(data->num_classes, 2);
  EXPECT_EQ(data->skipped_files, 1);
  EXPECT_EQ(data->first_skipped, (root_ / "train" / "cat" / "broken.png").string());
  const ImageSet& train = data->train;
  ASSERT_EQ(train.count, 3);
  EXPECT_EQ(train.height, kImageFolderSide);
  EXPECT_EQ(train.width, kImageFolderSide);
  EXPECT_EQ(train.channels, 3);  // one colour image makes the set colour
  EXPECT_EQ(train.labels, (std::vector<int>{0, 1, 1}));  // ant, then cat's files by name
  const int64_t n = train.ImageBytes();
  ASSERT_EQ(static_cast<int64_t>(train.pixels.size()), 3 * n);
  for (int64_t i = 0; i < n; i += 3) {
    // RGBA: alpha dropped.
    EXPECT_EQ(train.pixels[i], 10);
    EXPECT_EQ(train.pixels[i + 1], 20);
    EXPECT_EQ(train.pixels[i + 2], 30);
    // Grey replicated into three channels.
    EXPECT_EQ(train.pixels[n + i], 200);
    EXPECT_EQ(train.pixels[n + i + 2], 200);
    // JPEG red, within its quantisation.
    EXPECT_NEAR(train.pixels[2 * n + i], 254, 3);
    EXPECT_NEAR(train.pixels[2 * n + i + 1], 0, 3);
  }
  EXPECT_EQ(data->test.count, 2);
  EXPECT_EQ(data->test.channels, 3);
  EXPECT_EQ(data->test.labels, (std::vector<int>{0, 1}));
  EXPECT_EQ(data->test.pixels[n + 1], 100);
}

TEST_F(ImageFolderTest, AllGreyStaysOneChannel) {
  WriteUniform(root_ / "train" / "a" / "1.png", 28, 28, {7});
  WriteUniform(root_ / "train" / "b" / "1.png", 14, 30, {9});
  WriteUniform(root_ / "test" / "a" / "1.png", 28, 28, {7});
  WriteUniform(root_ / "test" / "b" / "1.png", 28, 28, {9});
  auto data = LoadImageFolder(root_.string(), 16);
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->train.channels, 1);
  EXPECT_EQ(data->train.height, 16);
  std::vector<uint8_t> expected(256, 7);  // class a's 16x16 image, then b's
  expected.resize(512, 9);
  EXPECT_EQ(data->train.pixels, expected);
}

TEST_F(ImageFolderTest, RefusesLayoutsThatMakeNoClassifier) {
  const auto error = [&] {
    auto data = LoadImageFolder(root_.string(), 8);
    return data.ok() ? std::string("loaded") : data.status().message();
  };
  WriteUniform(root_ / "train" / "a" / "1.png", 4, 4, {1});
  WriteUniform(root_ / "train" / "b" / "1.png", 4, 4, {1});
  EXPECT_NE(error().find("no test/ folder"), std::string::npos) << error();

  WriteUniform(root_ / "test" / "a" / "1.png", 4, 4, {1});
  WriteUniform(root_ / "test" / "c" / "1.png", 4, 4, {1});
  EXPECT_NE(error().find("only in train/: b; only in test/: c"), std::string::npos) << error();

  fs::remove_all(root_ / "test" / "c");
  fs::create_directories(root_ / "test" / "b");
  std::ofstream(root_ / "train" / "b" / "1.png", std::ios::trunc) << "corrupt";
  EXPECT_NE(error().find((root_ / "train" / "b").string() + ": no image that can be read"),
            std::string::npos)
      << error();

  WriteUniform(root_ / "train" / "b" / "1.png", 4, 4, {1});
  std::ofstream(root_ / "train" / "stray.txt") << "x";
  EXPECT_NE(error().find("stray.txt: a file where class folders are expected"), std::string::npos)
      << error();
  fs::remove(root_ / "train" / "stray.txt");
  EXPECT_EQ(error(), "loaded");  // test/b may be empty: only train needs every class
}

}  // namespace
}  // namespace mcunet
