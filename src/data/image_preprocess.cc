#include "data/image_preprocess.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mcunet {
namespace {

// One output coordinate's two source indices and weights along one axis.
struct Tap {
  int i0 = 0, i1 = 0;
  float w0 = 1, w1 = 0;
};

// PyTorch's compute_indices_weights_linear for align_corners=false, in float as
// its CPU kernel computes for float tensors: source = scale * (dst + 0.5) - 0.5
// with scale = in / out, clamped at 0; the second tap stays on the last pixel at
// the far edge.
std::vector<Tap> Taps(int in_size, int out_size) {
  const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
  std::vector<Tap> taps(out_size);
  for (int d = 0; d < out_size; ++d) {
    const float source = std::max(scale * (static_cast<float>(d) + 0.5f) - 0.5f, 0.0f);
    Tap& t = taps[d];
    t.i0 = std::min(static_cast<int>(std::floor(source)), in_size - 1);
    t.i1 = t.i0 + (t.i0 < in_size - 1 ? 1 : 0);
    t.w1 = std::clamp(source - static_cast<float>(t.i0), 0.0f, 1.0f);
    t.w0 = 1.0f - t.w1;
  }
  return taps;
}

}  // namespace

std::vector<uint8_t> ResizeBilinear(std::span<const uint8_t> image, const ImageShape& shape,
                                    int out_height, int out_width) {
  if (out_height == shape.height && out_width == shape.width) {
    return {image.begin(), image.end()};
  }
  const std::vector<Tap> rows = Taps(shape.height, out_height);
  const std::vector<Tap> cols = Taps(shape.width, out_width);
  const int c_count = shape.channels;
  const auto at = [&](int y, int x, int c) {
    return static_cast<float>(image[(static_cast<size_t>(y) * shape.width + x) * c_count + c]);
  };
  std::vector<uint8_t> out(static_cast<size_t>(out_height) * out_width * c_count);
  uint8_t* o = out.data();
  for (const Tap& r : rows) {
    for (const Tap& col : cols) {
      for (int c = 0; c < c_count; ++c) {
        // PyTorch's evaluation order: along the width within each of the two
        // rows, then along the height.
        const float top = at(r.i0, col.i0, c) * col.w0 + at(r.i0, col.i1, c) * col.w1;
        const float bottom = at(r.i1, col.i0, c) * col.w0 + at(r.i1, col.i1, c) * col.w1;
        const float v = top * r.w0 + bottom * r.w1;
        *o++ = static_cast<uint8_t>(std::clamp(std::nearbyint(v), 0.0f, 255.0f));
      }
    }
  }
  return out;
}

Status CheckImageInput(const ImageShape& image, const ImageInput& input) {
  if (input.type != DataType::kInt8 && input.type != DataType::kUInt8 &&
      input.type != DataType::kFloat32) {
    return Status::Error(
        fmt::format("model input type {} is not supported for images (int8, uint8 or float32)",
                    DataTypeName(input.type)));
  }
  if (input.shape.height <= 0 || input.shape.width <= 0) {
    return Status::Error(fmt::format("model input {}x{}x{} is not an image", input.shape.height,
                                     input.shape.width, input.shape.channels));
  }
  const bool replicate = image.channels == 1 && input.shape.channels == 3;
  if (image.channels != input.shape.channels && !replicate) {
    return Status::Error(fmt::format("the model takes {} channel(s) per pixel, the images have {}",
                                     input.shape.channels, image.channels));
  }
  return OkStatus();
}

Status PreprocessImage(std::span<const uint8_t> image, const ImageShape& shape,
                       const ImageInput& input, std::span<uint8_t> out) {
  MCUNET_RETURN_IF_ERROR(CheckImageInput(shape, input));
  if (static_cast<int64_t>(image.size()) != shape.Bytes()) {
    return Status::Error(fmt::format("image has {} bytes, its shape {}x{}x{} needs {}",
                                     image.size(), shape.height, shape.width, shape.channels,
                                     shape.Bytes()));
  }
  if (static_cast<int64_t>(out.size()) != input.Bytes()) {
    return Status::Error(fmt::format("input buffer has {} bytes, the model input needs {}",
                                     out.size(), input.Bytes()));
  }
  const std::vector<uint8_t> resized =
      ResizeBilinear(image, shape, input.shape.height, input.shape.width);
  // Grey images feeding colour inputs: each pixel repeated across the channels.
  const int repeat = input.shape.channels / shape.channels;
  const int64_t elements = input.shape.Bytes();
  for (int64_t e = 0; e < elements; ++e) {
    const uint8_t pixel = resized[static_cast<size_t>(e / repeat)];
    switch (input.type) {
      case DataType::kInt8:
        out[e] = static_cast<uint8_t>(static_cast<int8_t>(pixel - 128));
        break;
      case DataType::kUInt8:
        out[e] = pixel;
        break;
      default: {  // float32, checked above
        const float value = static_cast<float>(pixel) / 255.0f;
        std::memcpy(&out[e * 4], &value, sizeof value);
        break;
      }
    }
  }
  return OkStatus();
}

}  // namespace mcunet
