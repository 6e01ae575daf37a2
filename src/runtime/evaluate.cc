#include "runtime/evaluate.h"

#include <fmt/format.h>

#include <chrono>
#include <cstring>

namespace mcunet {
namespace {

// Index of the largest element; ties go to the lowest index (the first seen).
int ArgMax(std::span<const uint8_t> bytes, DataType type, int64_t count) {
  const auto value = [&](int64_t i) -> float {
    switch (type) {
      case DataType::kInt8:
        return static_cast<int8_t>(bytes[i]);
      case DataType::kUInt8:
        return bytes[i];
      default: {  // float32, checked before the loop
        float f;
        std::memcpy(&f, &bytes[i * 4], sizeof f);
        return f;
      }
    }
  };
  int best = 0;
  float best_value = value(0);
  for (int64_t i = 1; i < count; ++i) {
    const float v = value(i);
    if (v > best_value) best = static_cast<int>(i), best_value = v;
  }
  return best;
}

}  // namespace

Expected<ImageInput> ImageInputOf(const Graph& graph) {
  if (graph.inputs.size() != 1) {
    return Status::Error(
        fmt::format("the model has {} inputs; an image classifier has one", graph.inputs.size()));
  }
  const Tensor& t = graph.tensors[graph.inputs[0]];
  const auto& s = t.shape;
  if ((s.size() != 4 && s.size() != 3) || s[0] != 1) {
    return Status::Error(fmt::format("model input {} is {}, not an image (1xHxWxC or 1xHxW)",
                                     TensorLabel(graph, graph.inputs[0]), t.ShapeString()));
  }
  ImageInput input;
  input.shape = {s[1], s[2], s.size() == 4 ? s[3] : 1};
  input.type = t.type;
  if (input.type != DataType::kInt8 && input.type != DataType::kUInt8 &&
      input.type != DataType::kFloat32) {
    return Status::Error(fmt::format("model input {} is {}; evaluate takes int8, uint8 or float32",
                                     TensorLabel(graph, graph.inputs[0]),
                                     DataTypeName(input.type)));
  }
  return input;
}

Expected<Evaluation> EvaluateClassifier(Executor& executor, const ImageSet& images, int num_classes,
                                        const EvaluateOptions& options) {
  const Graph& g = executor.graph();
  MCUNET_ASSIGN_OR_RETURN(const ImageInput input, ImageInputOf(g));
  const ImageShape image_shape{images.height, images.width, images.channels};
  MCUNET_RETURN_IF_ERROR(CheckImageInput(image_shape, input));
  if (g.outputs.empty()) return Status::Error("the model has no output");
  const Tensor& output = g.tensors[g.outputs[0]];
  if (output.type != DataType::kInt8 && output.type != DataType::kUInt8 &&
      output.type != DataType::kFloat32) {
    return Status::Error(fmt::format("model output {} is {}; evaluate takes int8, uint8 or float32",
                                     TensorLabel(g, g.outputs[0]), DataTypeName(output.type)));
  }
  if (output.NumElements() != num_classes) {
    return Status::Error(fmt::format(
        "model output {} has {} elements ({}) but the data set has {} classes",
        TensorLabel(g, g.outputs[0]), output.NumElements(), output.ShapeString(), num_classes));
  }
  if (options.limit < 0) {
    return Status::Error(fmt::format("image limit {} is negative", options.limit));
  }
  const int64_t total =
      options.limit > 0 ? std::min<int64_t>(options.limit, images.count) : images.count;
  if (total == 0) return Status::Error("the data set has no test images");

  Evaluation result;
  result.input = input;
  std::vector<uint8_t> tensor(static_cast<size_t>(input.Bytes()));
  const size_t image_bytes = static_cast<size_t>(images.ImageBytes());
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < total; ++i) {
    const std::span<const uint8_t> image(images.pixels.data() + i * image_bytes, image_bytes);
    const std::string where = fmt::format("test image {}: ", i);
    MCUNET_RETURN_IF_ERROR(PreprocessImage(image, image_shape, input, tensor).WithContext(where));
    MCUNET_RETURN_IF_ERROR(executor.SetInput(0, tensor).WithContext(where));
    MCUNET_RETURN_IF_ERROR(executor.Invoke().WithContext(where));
    const int predicted = ArgMax(executor.Output(0), output.type, num_classes);
    if (predicted == images.labels[static_cast<size_t>(i)]) ++result.correct;
    if (options.progress) options.progress(i + 1, total, result.correct);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.images = total;
  result.top1 = static_cast<double>(result.correct) / static_cast<double>(total);
  return result;
}

}  // namespace mcunet
