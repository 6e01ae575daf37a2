#include "runtime/evaluate.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include <chrono>
#include <cstring>

namespace mcunet {

int PredictedClass(std::span<const uint8_t> bytes, DataType type, int64_t count) {
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
  const int threads = static_cast<int>(std::clamp<int64_t>(options.threads, 1, total));
  std::vector<std::unique_ptr<Executor>> clones;
  for (int t = 1; t < threads; ++t) {
    MCUNET_ASSIGN_OR_RETURN(auto clone, executor.Clone());
    clones.push_back(std::move(clone));
  }
  std::mutex mutex;  // guards the counters, the first error and the callback
  int64_t done = 0, correct = 0;
  Status first_error = OkStatus();
  const size_t image_bytes = static_cast<size_t>(images.ImageBytes());
  // Images [begin, end) on one executor; stops at the first error anywhere.
  const auto work = [&](Executor& ex, int64_t begin, int64_t end) {
    std::vector<uint8_t> tensor(static_cast<size_t>(input.Bytes()));
    for (int64_t i = begin; i < end; ++i) {
      const std::span<const uint8_t> image(images.pixels.data() + i * image_bytes, image_bytes);
      Status s = PreprocessImage(image, image_shape, input, tensor);
      if (s.ok()) s = ex.SetInput(0, tensor);
      if (s.ok()) s = ex.Invoke();
      const bool right =
          s.ok() && PredictedClass(ex.Output(0), output.type, num_classes) == images.labels[static_cast<size_t>(i)];
      std::lock_guard lock(mutex);
      if (!s.ok() && first_error.ok()) first_error = s.WithContext(fmt::format("test image {}: ", i));
      if (!first_error.ok()) return;
      ++done;
      correct += right;
      if (options.progress) options.progress(done, total, correct);
    }
  };
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> pool;
    for (int t = 1; t < threads; ++t) {
      pool.emplace_back(work, std::ref(*clones[static_cast<size_t>(t - 1)]), total * t / threads,
                        total * (t + 1) / threads);
    }
    work(executor, 0, total / threads);
  }
  MCUNET_RETURN_IF_ERROR(first_error);
  result.correct = correct;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.images = total;
  result.top1 = static_cast<double>(result.correct) / static_cast<double>(total);
  return result;
}

}  // namespace mcunet
