// The input convention shared by evaluate, export and the firmware harness,
// against values worked out by hand from PyTorch's align_corners=false rule:
// source = (dst + 0.5) * in / out - 0.5, clamped at 0, the far tap held on the
// last pixel.
#include "data/image_preprocess.h"

#include <gtest/gtest.h>

#include <cstring>

namespace mcunet {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(ResizeBilinear, TwoByTwoToFourByFour) {
  // Sources along each axis: -0.25 -> 0, 0.25, 0.75, 1.25 -> pixel 1 (edge).
  // Row 0 [0 100] -> [0 25 75 100]; row 1 [200 40] -> [200 160 80 40];
  // output rows: row 0, 0.75*row0 + 0.25*row1, 0.25*row0 + 0.75*row1, row 1.
  const Bytes image = {0, 100, 200, 40};
  const Bytes expected = {0,   25,  75, 100,  //
                          50,  59,  76, 85,   // 58.75, 76.25
                          150, 126, 79, 55,   // 126.25, 78.75
                          200, 160, 80, 40};
  EXPECT_EQ(ResizeBilinear(image, {2, 2, 1}, 4, 4), expected);
}

TEST(ResizeBilinear, FourByFourToTwoByTwoAveragesBlocksAndRoundsHalfToEven) {
  // Sources 0.5 and 2.5: each output is the mean of one 2x2 block (no
  // antialias). Values 0..15 make every mean end in .5: ties go to even.
  Bytes image(16);
  for (int i = 0; i < 16; ++i) image[i] = static_cast<uint8_t>(i);
  // Means 2.5, 4.5, 10.5, 12.5.
  EXPECT_EQ(ResizeBilinear(image, {4, 4, 1}, 2, 2), (Bytes{2, 4, 10, 12}));
}

TEST(ResizeBilinear, ThreeByThreeToTwoByTwo) {
  // Sources 0.25 and 1.75; a linear ramp v = 30 * (3 y + x) stays linear:
  // 30 * (3 * 0.25 + 0.25) = 30, 30 * (0.75 + 1.75) = 75, 30 * (5.25 + 0.25) =
  // 165, 30 * (5.25 + 1.75) = 210.
  const Bytes image = {0, 30, 60, 90, 120, 150, 180, 210, 240};
  EXPECT_EQ(ResizeBilinear(image, {3, 3, 1}, 2, 2), (Bytes{30, 75, 165, 210}));
}

TEST(ResizeBilinear, TiesRoundToEven) {
  // 1x2 -> 1x4 of [0 2]: 0, 0.5, 1.5, 2.
  EXPECT_EQ(ResizeBilinear(Bytes{0, 2}, {1, 2, 1}, 1, 4), (Bytes{0, 0, 2, 2}));
}

TEST(ResizeBilinear, ChannelsAreResizedIndependently) {
  // Channel 0 is the 2x2 image of the first test, channel 1 a constant.
  const Bytes image = {0, 7, 100, 7, 200, 7, 40, 7};
  const Bytes out = ResizeBilinear(image, {2, 2, 2}, 4, 4);
  ASSERT_EQ(out.size(), 32u);
  const Bytes channel0_expected = {0,   25,  75, 100, 50,  59,  76, 85,
                                   150, 126, 79, 55,  200, 160, 80, 40};
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(out[2 * i], channel0_expected[i]) << i;
    EXPECT_EQ(out[2 * i + 1], 7) << i;
  }
}

TEST(ResizeBilinear, SameSizeIsIdentity) {
  Bytes image(5 * 7 * 3);
  for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>(i * 37 + 11);
  EXPECT_EQ(ResizeBilinear(image, {5, 7, 3}, 5, 7), image);
}

TEST(PreprocessImage, ConvertsByInputType) {
  const Bytes pixel = {200};
  Bytes out(1);
  ASSERT_TRUE(PreprocessImage(pixel, {1, 1, 1}, {{1, 1, 1}, DataType::kInt8}, out).ok());
  EXPECT_EQ(static_cast<int8_t>(out[0]), 72);  // 200 - 128
  ASSERT_TRUE(PreprocessImage(pixel, {1, 1, 1}, {{1, 1, 1}, DataType::kUInt8}, out).ok());
  EXPECT_EQ(out[0], 200);
  Bytes f(4);
  ASSERT_TRUE(PreprocessImage(pixel, {1, 1, 1}, {{1, 1, 1}, DataType::kFloat32}, f).ok());
  float value;
  std::memcpy(&value, f.data(), 4);
  EXPECT_EQ(value, 200.0f / 255.0f);
}

TEST(PreprocessImage, GreyFeedsThreeChannelsAfterResizing) {
  const ImageInput input{{4, 4, 3}, DataType::kInt8};
  Bytes out(static_cast<size_t>(input.Bytes()));
  ASSERT_TRUE(PreprocessImage(Bytes{0, 100, 200, 40}, {2, 2, 1}, input, out).ok());
  // Pixel (1, 1) is 59 (first test) in all three channels.
  for (int c = 0; c < 3; ++c) EXPECT_EQ(static_cast<int8_t>(out[(4 + 1) * 3 + c]), 59 - 128);
  EXPECT_EQ(static_cast<int8_t>(out[0]), -128);
}

TEST(PreprocessImage, RefusesWhatTheConventionDoesNotCover) {
  const auto error = [](const ImageShape& image, const ImageInput& input) {
    return CheckImageInput(image, input).message();
  };
  EXPECT_NE(error({2, 2, 1}, {{2, 2, 1}, DataType::kInt16}).find("int16"), std::string::npos);
  const std::string channels = error({2, 2, 3}, {{2, 2, 1}, DataType::kInt8});
  EXPECT_NE(channels.find("takes 1 channel"), std::string::npos) << channels;
  EXPECT_NE(channels.find("have 3"), std::string::npos) << channels;
  EXPECT_FALSE(CheckImageInput({2, 2, 1}, {{2, 2, 2}, DataType::kInt8}).ok());
  EXPECT_TRUE(CheckImageInput({2, 2, 1}, {{2, 2, 3}, DataType::kUInt8}).ok());
  Bytes small(3);
  EXPECT_FALSE(
      PreprocessImage(Bytes{1, 2, 3, 4}, {2, 2, 1}, {{2, 2, 1}, DataType::kInt8}, small).ok());
}

}  // namespace
}  // namespace mcunet
