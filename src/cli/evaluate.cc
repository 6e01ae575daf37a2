// mcunet evaluate MODEL.tflite --dataset fashion-mnist|DIR [--limit N] [--json]
#include "runtime/evaluate.h"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/progress_bar.h"
#include "runtime/load_model.h"

namespace mcunet::cli {
namespace {

int Fail(const Status& status) {
  fmt::print(stderr, "error: {}\n", status.message());
  return 1;
}

nlohmann::json ToJson(const std::string& model, const std::string& dataset, const Evaluation& e,
                      const Tensor& input) {
  return {{"model", model},
          {"dataset", dataset},
          {"images", e.images},
          {"correct", e.correct},
          {"top1", e.top1},
          {"input_shape", input.shape},
          {"input_type", std::string(DataTypeName(input.type))},
          // Float inputs carry no quantisation: null rather than a made-up 0.
          {"input_scale",
           input.quant.empty() ? nlohmann::json(nullptr) : nlohmann::json(input.quant.scale())},
          {"input_zero_point", input.quant.empty() ? nlohmann::json(nullptr)
                                                   : nlohmann::json(input.quant.zero_point())},
          {"seconds", e.seconds}};
}

}  // namespace

Command AddEvaluateCommand(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto dataset = std::make_shared<std::string>("fashion-mnist");
  auto limit = std::make_shared<int64_t>(0);
  auto threads = std::make_shared<int>(2);
  auto json = std::make_shared<bool>(false);
  app.add_option("model", *model, "Model file (.tflite; int8, uint8 or float32 image input)")
      ->required();
  app.add_option("--dataset", *dataset,
                 "'fashion-mnist' (Debian package dataset-fashion-mnist), a folder of IDX "
                 "files (t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz], and the "
                 "train files) or of images (train/<class>/*, test/<class>/*: PNG, JPEG, ...)")
      ->capture_default_str();
  app.add_option("--threads", *threads, "Images evaluated in parallel, one arena each")
      ->default_str("2")
      ->check(CLI::Range(1, 256));
  CLI::Option* limit_option =
      app.add_option("--limit", *limit, "Evaluate only the first N test images");
  app.add_flag("--json", *json,
               "Print one JSON object (model, dataset, images, correct, top1, input_shape, "
               "input_type, input_scale, input_zero_point, seconds)");
  app.footer(
      "Example: mcunet evaluate run/model.tflite --dataset fashion-mnist\n"
      "Each image is resized to the model input (bilinear, align_corners=false), rounded, "
      "then\ngiven as pixel-128 (int8), pixel (uint8) or pixel/255 (float32). Prediction: "
      "argmax of output 0.");
  return [model, dataset, limit, threads, limit_option, json]() {
    if (limit_option->count() > 0 && *limit <= 0) {
      return Fail(Status::Error(fmt::format("--limit {}: give at least 1 image", *limit)));
    }
    auto loaded = LoadModel(*model);
    if (!loaded.ok()) return Fail(loaded.status());
    Executor& ex = **loaded;
    // Shape problems are reported before the data set is read (seconds for Fashion-MNIST).
    if (auto input = ImageInputOf(ex.graph()); !input.ok()) {
      return Fail(input.status().WithContext(*model + ": "));
    }
    auto data = LoadDataset(*dataset);
    if (!data.ok()) return Fail(data.status());
    ProgressBar bar;
    EvaluateOptions options;
    options.limit = *limit;
    options.threads = *threads;
    options.progress = [&bar](int64_t done, int64_t total, int64_t correct) {
      bar.Update("evaluate", done, total,
                 fmt::format("top-1 {:.2f} %", 100.0 * correct / static_cast<double>(done)));
    };
    auto result = EvaluateClassifier(ex, data->test, data->num_classes, options);
    bar.Finish();
    if (!result.ok()) return Fail(result.status().WithContext(*model + " on " + *dataset + ": "));
    const Tensor& input = ex.graph().tensors[ex.graph().inputs[0]];
    if (*json) {
      fmt::print("{}\n", ToJson(*model, *dataset, *result, input).dump(2));
    } else {
      fmt::print("{} on {} ({} test images, input {} {}): top-1 {:.2f} % ({} / {}), {:.1f} s\n",
                 *model, *dataset, result->images, input.ShapeString(), DataTypeName(input.type),
                 100.0 * result->top1, result->correct, result->images, result->seconds);
    }
    return 0;
  };
}

}  // namespace mcunet::cli
