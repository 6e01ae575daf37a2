#include "arch/arch_builder.h"

#include <fmt/format.h>

#include <cstring>
#include <random>

namespace mcunet {
namespace {

Activation ToActivation(ArchActivation a) {
  switch (a) {
    case ArchActivation::kRelu:
      return Activation::kRelu;
    case ArchActivation::kRelu6:
      return Activation::kRelu6;
    case ArchActivation::kNone:
      return Activation::kNone;
  }
  return Activation::kNone;
}

class ArchGraphBuilder {
 public:
  ArchGraphBuilder(uint32_t seed, bool with_weights, const QuantizedArch* trained)
      : rng_(seed), with_weights_(with_weights || trained != nullptr), trained_(trained) {}

  Graph& graph() { return g_; }
  // The first mismatch between the trained tensors and the arch (empty: none).
  const std::string& error() const { return error_; }
  // Every trained tensor was used: none left over.
  bool UsedAllTrained() const {
    return trained_ == nullptr ||
           (next_conv_ == trained_->convs.size() && next_add_ == trained_->adds.size());
  }

  void SetQuant(int tensor, const ActivationQuant& q) {
    g_.tensors[tensor].quant.scales = {q.scale};
    g_.tensors[tensor].quant.zero_points = {q.zero_point};
  }

  // An activation tensor; ReLU/ReLU6 outputs get the range [0, 6], others a
  // pseudo-random symmetric-ish range.
  int Activation(std::vector<int32_t> shape, ArchActivation act) {
    Tensor t;
    t.name = fmt::format("act{}", g_.tensors.size());
    t.type = DataType::kInt8;
    t.shape = std::move(shape);
    if (act == ArchActivation::kNone) {
      t.quant.scales = {0.02f + 0.04f * Uniform()};
      t.quant.zero_points = {static_cast<int64_t>(rng_() % 21) - 10};
    } else {
      t.quant.scales = {6.0f / 255.0f};
      t.quant.zero_points = {-128};
    }
    g_.tensors.push_back(std::move(t));
    return static_cast<int>(g_.tensors.size() - 1);
  }

  // Conv (depthwise when `depthwise`), BN folded into the bias, activation fused.
  int Conv(int input, int out_c, int k, int stride, bool depthwise, ArchActivation act) {
    const Tensor in = Describe(input);  // a copy: adding tensors moves the vector
    const int32_t in_c = in.shape[3], h = in.shape[1], w = in.shape[2];
    const int pad = k / 2;
    const int32_t oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
    const float in_scale = in.quant.scale();
    std::vector<int32_t> w_shape =
        depthwise ? std::vector<int32_t>{1, k, k, out_c} : std::vector<int32_t>{out_c, k, k, in_c};
    const int64_t w_count = int64_t{k} * k * out_c * (depthwise ? 1 : in_c);
    const QuantizedConv* q = NextTrainedConv(w_count, out_c);
    std::vector<float> w_scales(out_c);
    for (auto& s : w_scales) s = 0.002f + 0.01f * Uniform();
    if (q != nullptr) w_scales = q->weight_scales;
    const int weights = Constant(fmt::format("w{}", g_.tensors.size()), DataType::kInt8, w_shape,
                                 w_count, w_scales, depthwise ? 3 : 0, 127,
                                 q ? Bytes(q->weights) : nullptr);
    std::vector<float> b_scales(out_c);
    for (int c = 0; c < out_c; ++c) b_scales[c] = in_scale * w_scales[c];
    const int bias = Constant(fmt::format("b{}", g_.tensors.size()), DataType::kInt32, {out_c},
                              out_c, b_scales, 0, 2000, q ? Bytes(q->bias) : nullptr);
    const int output = Activation({in.shape[0], oh, ow, out_c}, act);
    if (q != nullptr) SetQuant(output, q->output);
    ConvAttrs a;
    a.padding = Padding::kExplicit;
    a.pad_top = a.pad_bottom = a.pad_left = a.pad_right = pad;
    a.stride_h = a.stride_w = stride;
    a.depth_multiplier = depthwise ? out_c / in_c : 1;
    a.activation = ToActivation(act);
    AddNode(depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D, {input, weights, bias}, output,
            a);
    return output;
  }

  int Add(int a, int b) {
    const int output = Activation(Describe(a).shape, ArchActivation::kNone);
    if (trained_ != nullptr) {
      if (next_add_ < trained_->adds.size()) {
        SetQuant(output, trained_->adds[next_add_]);
      } else {
        Fail(fmt::format("trained network has {} residual ADDs, the arch more",
                         trained_->adds.size()));
      }
      ++next_add_;
    }
    AddNode(OpKind::kAdd, {a, b}, output, ElementwiseAttrs{});
    return output;
  }

  // Global average pool as deployed: AVERAGE_POOL_2D over the whole map, then a
  // RESHAPE to [1, C].
  int GlobalAveragePool(int input) {
    const Tensor in = Describe(input);
    const int32_t c = in.shape[3];
    const int pooled = Activation({in.shape[0], 1, 1, c}, ArchActivation::kNone);
    g_.tensors[pooled].quant = in.quant;  // pooling keeps the quantisation
    PoolAttrs p;
    p.padding = Padding::kValid;
    p.filter_h = in.shape[1], p.filter_w = in.shape[2];
    AddNode(OpKind::kAveragePool2D, {input}, pooled, p);
    const int flat = Activation({in.shape[0], c}, ArchActivation::kNone);
    g_.tensors[flat].quant = g_.tensors[pooled].quant;
    AddNode(OpKind::kReshape, {pooled}, flat, std::monostate{});
    return flat;
  }

  int FullyConnected(int input, int out) {
    const Tensor in = Describe(input);
    const int32_t in_depth = in.shape[1];
    const QuantizedFullyConnected* q = trained_ ? &trained_->classifier : nullptr;
    if (q != nullptr && (static_cast<int64_t>(q->weights.size()) != int64_t{out} * in_depth ||
                         static_cast<int>(q->bias.size()) != out)) {
      Fail(fmt::format("trained classifier has {} weights and {} biases, the arch {}x{}",
                       q->weights.size(), q->bias.size(), out, in_depth));
      q = nullptr;
    }
    float w_scale = 0.002f + 0.01f * Uniform();
    if (q != nullptr) w_scale = q->weight_scale;
    const int weights = Constant(fmt::format("w{}", g_.tensors.size()), DataType::kInt8,
                                 {out, in_depth}, int64_t{out} * in_depth, {w_scale}, 0, 127,
                                 q ? Bytes(q->weights) : nullptr);
    const int bias = Constant(fmt::format("b{}", g_.tensors.size()), DataType::kInt32, {out}, out,
                              {in.quant.scale() * w_scale}, 0, 2000,
                              q ? Bytes(q->bias) : nullptr);
    const int output = Activation({in.shape[0], out}, ArchActivation::kNone);
    if (q != nullptr) SetQuant(output, q->output);
    AddNode(OpKind::kFullyConnected, {input, weights, bias}, output, FullyConnectedAttrs{});
    return output;
  }

 private:
  // Shape and quantisation of a tensor, without its data.
  Tensor Describe(int index) const {
    Tensor t;
    t.shape = g_.tensors[index].shape;
    t.quant = g_.tensors[index].quant;
    return t;
  }

  float Uniform() { return static_cast<float>(rng_() % 1000000) / 1e6f; }

  template <typename T>
  static const uint8_t* Bytes(const std::vector<T>& v) {
    return reinterpret_cast<const uint8_t*>(v.data());
  }

  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  // The next trained convolution when it has the arch's sizes; otherwise
  // records the mismatch and returns null (the layer gets pseudo-random data).
  const QuantizedConv* NextTrainedConv(int64_t weight_count, int out_c) {
    if (trained_ == nullptr) return nullptr;
    const size_t i = next_conv_++;
    if (i >= trained_->convs.size()) {
      Fail(fmt::format("trained network has {} convolutions, the arch more",
                       trained_->convs.size()));
      return nullptr;
    }
    const QuantizedConv& q = trained_->convs[i];
    if (static_cast<int64_t>(q.weights.size()) != weight_count ||
        static_cast<int>(q.weight_scales.size()) != out_c ||
        static_cast<int>(q.bias.size()) != out_c) {
      Fail(fmt::format(
          "trained convolution {} has {} weights, {} scales and {} biases; the arch needs {}, {}, {}",
          i, q.weights.size(), q.weight_scales.size(), q.bias.size(), weight_count, out_c, out_c));
      return nullptr;
    }
    return &q;
  }

  // A constant of `count` values: `data` (count elements of `type`) when given,
  // otherwise uniform in [-range, range].
  int Constant(std::string name, DataType type, std::vector<int32_t> shape, int64_t count,
               std::vector<float> scales, int32_t qdim, int32_t range,
               const uint8_t* data = nullptr) {
    Tensor t;
    t.name = std::move(name);
    t.type = type;
    t.shape = std::move(shape);
    t.is_constant = true;
    t.quant.scales = std::move(scales);
    t.quant.zero_points.assign(t.quant.scales.size(), 0);
    t.quant.quantized_dimension = qdim;
    if (!with_weights_) {
      g_.tensors.push_back(std::move(t));
      return static_cast<int>(g_.tensors.size() - 1);
    }
    t.data.resize(count * DataTypeSize(type));
    if (data != nullptr) {
      std::memcpy(t.data.data(), data, t.data.size());
      g_.tensors.push_back(std::move(t));
      return static_cast<int>(g_.tensors.size() - 1);
    }
    for (int64_t i = 0; i < count; ++i) {
      const int32_t v = static_cast<int32_t>(rng_() % (2 * range + 1)) - range;
      if (type == DataType::kInt8) {
        t.data[i] = static_cast<uint8_t>(static_cast<int8_t>(v));
      } else {
        std::memcpy(t.data.data() + 4 * i, &v, 4);
      }
    }
    g_.tensors.push_back(std::move(t));
    return static_cast<int>(g_.tensors.size() - 1);
  }

  void AddNode(OpKind kind, std::vector<int> inputs, int output, Attributes attrs) {
    Node n;
    n.kind = kind;
    n.index = static_cast<int>(g_.nodes.size());
    n.inputs = std::move(inputs);
    n.outputs = {output};
    n.attrs = attrs;
    g_.nodes.push_back(std::move(n));
  }

  Graph g_;
  std::mt19937 rng_;
  bool with_weights_;
  const QuantizedArch* trained_;
  size_t next_conv_ = 0, next_add_ = 0;
  std::string error_;
};

}  // namespace

Expected<Graph> BuildArchGraph(const ArchConfig& arch, const ArchBuildOptions& options) {
  const int resolution = options.resolution > 0 ? options.resolution : arch.resolution;
  const int channels =
      options.input_channels > 0 ? options.input_channels : arch.first_conv.in_channels;
  if (channels < 1 || channels > 64) {
    return Status::Error(fmt::format("input channels {} out of range 1..64", channels));
  }
  ArchGraphBuilder b(options.seed, options.with_weights, options.trained);
  Graph& g = b.graph();
  g.name = arch.name;
  const int input =
      b.Activation({1, resolution, resolution, channels}, ArchActivation::kNone);
  g.tensors[input].name = "input";
  if (options.trained != nullptr) b.SetQuant(input, options.trained->input);
  g.inputs = {input};
  int x = b.Conv(input, arch.first_conv.out_channels, arch.first_conv.kernel_size,
                 arch.first_conv.stride, false, arch.first_conv.activation);
  for (const MBConvConfig& block : arch.blocks) {
    if (g.tensors[x].shape[1] < 1) {
      return Status::Error(fmt::format("resolution {} is too small for {} stride-2 layers",
                                       resolution, arch.blocks.size()));
    }
    const int block_input = x;
    int y = x;
    if (block.expand_ratio != 1)
      y = b.Conv(y, block.mid_channels, 1, 1, false, ArchActivation::kRelu6);
    y = b.Conv(y, block.mid_channels, block.kernel_size, block.stride, true,
               ArchActivation::kRelu6);
    y = b.Conv(y, block.out_channels, 1, 1, false, ArchActivation::kNone);
    x = block.residual ? b.Add(y, block_input) : y;
  }
  if (arch.feature_mix) {
    x = b.Conv(x, arch.feature_mix->out_channels, 1, 1, false, arch.feature_mix->activation);
  }
  x = b.GlobalAveragePool(x);
  x = b.FullyConnected(x, arch.num_classes);
  g.outputs = {x};
  if (!b.error().empty()) return Status::Error(fmt::format("{}: {}", arch.name, b.error()));
  if (!b.UsedAllTrained()) {
    return Status::Error(fmt::format("{}: the trained network has more layers than the arch",
                                     arch.name));
  }
  return std::move(g);
}

int64_t ArchTrainingParams(const ArchConfig& arch) {
  const auto conv = [](int64_t in, int64_t out, int64_t k) { return in * out * k * k + 2 * out; };
  int64_t params =
      conv(arch.first_conv.in_channels, arch.first_conv.out_channels, arch.first_conv.kernel_size);
  for (const MBConvConfig& b : arch.blocks) {
    if (b.expand_ratio != 1) params += conv(b.in_channels, b.mid_channels, 1);
    params += b.mid_channels * int64_t{b.kernel_size} * b.kernel_size + 2 * b.mid_channels;
    params += conv(b.mid_channels, b.out_channels, 1);
  }
  if (arch.feature_mix) {
    params += conv(arch.feature_mix->in_channels, arch.feature_mix->out_channels, 1);
  }
  params += int64_t{arch.classifier_in} * arch.num_classes + arch.num_classes;
  return params;
}

}  // namespace mcunet
