// mcunet run MODEL.tflite --input IN.bin [...] --output OUT.bin [...]
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <numeric>

#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/read_file.h"
#include "runtime/load_model.h"

namespace mcunet::cli {
namespace {

int Fail(const Status& status) {
  fmt::print(stderr, "error: {}\n", status.message());
  return 1;
}

template <typename T>
T Load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Per output: rank, class index, dequantised score, raw value; highest first, the
// lower index first among equal scores (as an argmax reads).
void PrintTopScores(const Graph& g, const Executor& ex, int k) {
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    const Tensor& t = g.tensors[g.outputs[o]];
    const auto bytes = ex.Output(o);
    const int64_t n = t.NumElements();
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t{0});
    // The stored value (an integer, or the float itself) of element i.
    const auto value = [&](int64_t i) -> double {
      const uint8_t* p = bytes.data() + i * DataTypeSize(t.type);
      switch (t.type) {
        case DataType::kInt8:
          return static_cast<int8_t>(*p);
        case DataType::kUInt8:
          return *p;
        case DataType::kInt16:
          return Load<int16_t>(p);
        case DataType::kInt32:
          return Load<int32_t>(p);
        case DataType::kInt64:
          return static_cast<double>(Load<int64_t>(p));
        default:
          return Load<float>(p);
      }
    };
    const int64_t shown = std::min<int64_t>(k, n);
    std::partial_sort(order.begin(), order.begin() + shown, order.end(), [&](int64_t a, int64_t b) {
      return value(a) != value(b) ? value(a) > value(b) : a < b;
    });
    const double scale = t.quant.empty() ? 1.0 : t.quant.scale();
    const double zero_point = t.quant.zero_point();
    fmt::print("output {} ({}, {}, shape {}): top {} of {}\n", o, t.name, DataTypeName(t.type),
               t.ShapeString(), shown, n);
    fmt::print("  rank  class       score    raw\n");
    for (int64_t r = 0; r < shown; ++r) {
      const double q = value(order[r]);
      fmt::print("  {:>4}  {:>5}  {:>10.4f}  {:>5}\n", r + 1, order[r], scale * (q - zero_point),
                 q);
    }
  }
}

}  // namespace

Command AddRunCommand(CLI::App& app) {
  auto model = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto outputs = std::make_shared<std::vector<std::string>>();
  auto top = std::make_shared<int>(0);
  app.add_option("model", *model, "Model file (.tflite, int8)")->required();
  app.add_option("--input,-i", *inputs,
                 "Raw little-endian bytes of each model input, in the model's input order")
      ->required();
  app.add_option("--output,-o", *outputs,
                 "Where to write each model output (raw bytes), in the model's output order");
  app.add_option("--top", *top,
                 "Print the K highest scores of each output (dequantised: scale * (q - zero "
                 "point)), with their class index")
      ->check(CLI::PositiveNumber)
      ->type_name("K");
  app.footer(
      "Example: mcunet run model.tflite --input in.bin --top 5\n"
      "         mcunet run model.tflite --input in.bin --output out.bin\n"
      "Inputs must have exactly the tensor's byte size (mcunet analyze shows shapes).\n"
      "Give --output (raw bytes for a program), --top (a table for a person) or both.");
  return [model, inputs, outputs, top]() {
    if (outputs->empty() && *top == 0) {
      fmt::print(stderr, "error: give --output FILE (one per model output) or --top K\n");
      return 2;
    }
    auto loaded = LoadModel(*model);
    if (!loaded.ok()) return Fail(loaded.status());
    Executor& ex = **loaded;
    const Graph& g = ex.graph();
    if (inputs->size() != g.inputs.size() ||
        (!outputs->empty() && outputs->size() != g.outputs.size())) {
      return Fail(Status::Error(
          fmt::format("{}: the model has {} inputs and {} outputs; got {} "
                      "--input and {} --output",
                      *model, g.inputs.size(), g.outputs.size(), inputs->size(), outputs->size())));
    }
    for (size_t i = 0; i < inputs->size(); ++i) {
      auto bytes = ReadFileBytes((*inputs)[i]);
      if (!bytes.ok()) return Fail(bytes.status());
      const Status s = ex.SetInput(i, *bytes);
      if (!s.ok()) return Fail(s.WithContext((*inputs)[i] + ": "));
    }
    const Status s = ex.Invoke();
    if (!s.ok()) return Fail(s.WithContext(*model + ": "));
    for (size_t i = 0; i < outputs->size(); ++i) {
      const auto bytes = ex.Output(i);
      const Status w = WriteFileAtomically(
          (*outputs)[i], {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
      if (!w.ok()) return Fail(w);
    }
    if (*top > 0) PrintTopScores(g, ex, *top);
    return 0;
  };
}

}  // namespace mcunet::cli
