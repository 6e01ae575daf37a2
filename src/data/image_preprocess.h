// How a data set's uint8 image becomes a model's input tensor. One convention
// for `evaluate`, `export` (calibration) and the firmware harness, so that the
// accuracy measured on the host is the accuracy of the bytes the device gets:
//   1. resize to the input's height x width: bilinear, align_corners=false, the
//      rule of PyTorch's interpolate(mode="bilinear", align_corners=False) on
//      float pixel values (no antialias), as the trainer resizes;
//   2. round to the nearest integer (ties to even, like torch.round) and clamp
//      to [0, 255];
//   3. grey images feeding a 3-channel input are replicated across channels;
//   4. by the input's type: int8 q = pixel - 128 (exported models put the
//      normalisation in the input's scale and zero point; TFLite's int8 image
//      models take pixel - 128 too), uint8 q = pixel, float32 pixel / 255.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/dtype.h"
#include "core/status.h"

namespace mcunet {

struct ImageShape {
  int height = 0, width = 0, channels = 0;
  int64_t Bytes() const { return int64_t{height} * width * channels; }
};

// Steps 1 and 2 on an HWC image; returns out_height x out_width x channels bytes.
// Matching sizes give the image back unchanged.
std::vector<uint8_t> ResizeBilinear(std::span<const uint8_t> image, const ImageShape& shape,
                                    int out_height, int out_width);

// The model input an image is turned into: an NHWC tensor of one image.
struct ImageInput {
  ImageShape shape;
  DataType type = DataType::kUnknown;
  int64_t Bytes() const { return shape.Bytes() * static_cast<int64_t>(DataTypeSize(type)); }
};

// Whether images of `image` shape can feed `input`: the type is int8, uint8 or
// float32 and the channels match (or grey images feed 3 channels). The error
// names both sides.
Status CheckImageInput(const ImageShape& image, const ImageInput& input);

// Steps 1 to 4: writes exactly input.Bytes() bytes to `out` (float32 in the
// host's byte order, as the runtime reads it). Call CheckImageInput first.
Status PreprocessImage(std::span<const uint8_t> image, const ImageShape& shape,
                       const ImageInput& input, std::span<uint8_t> out);

}  // namespace mcunet
