// UNIDIRECTIONAL_SEQUENCE_LSTM int8 (TF Lite Micro's integer LSTM): int8
// input, weights and hidden state, int16 cell state (a power-of-two scale),
// int32 gate biases; no peephole, projection or layer norm, which TF Lite Micro
// refuses too. Inputs in TFLite's order: 0 input, 1-4 input weights and 5-8
// recurrent weights of the input, forget, cell and output gates, 12-15 their
// biases, 18 the hidden state and 19 the cell state (variable tensors the kernel
// updates in place). The gates' products are requantised to Q3.12 and their
// activations give Q0.15, whatever the model's intermediate tensors say, as
// TF Lite Micro does.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "kernels/mcunet_kernels.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/sigmoid_table.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

constexpr size_t kInputWeights = 1, kRecurrentWeights = 5, kBiases = 12;
constexpr size_t kHidden = 18, kCell = 19;
constexpr const char* kGates[4] = {"input", "forget", "cell", "output"};

class Lstm final : public PreparedOp {
 public:
  explicit Lstm(mcunet_lstm_params p) : params_(p) {
    params_.sigmoid_table = SigmoidTable().data();
  }
  EmittedCall Emit(const EmitNames& n) const override {
    std::string table = fmt::format("static const uint16_t {}_sigmoid_table[256] = {{", n.prefix);
    for (size_t k = 0; k < 256; ++k) {
      table +=
          fmt::format("{}{}{}", k % 12 == 0 ? "\n  " : " ", SigmoidTable()[k], k < 255 ? "," : "");
    }
    table += "};\n";
    const auto four = [&](const char* type, size_t first) {
      std::string s = fmt::format("(const {}* const[4]){{", type);
      for (size_t g = 0; g < 4; ++g) {
        s += fmt::format("{}{}", g ? ", " : "",
                         CArg(fmt::format("const {}", type), n.inputs[first + g]));
      }
      return s + "}";
    };
    return {
        "lstm_s8.c",
        table + MCUNET_C_PARAMS(MCUNET_LSTM_PARAMS_FIELDS, mcunet_lstm_params, n.prefix, params_),
        fmt::format("mcunet_lstm_s8(&{}_params, {}, {}, {}, {}, {}, {}, {})", n.prefix,
                    CArg("const int8_t", n.inputs[0]), four("int8_t", kInputWeights),
                    four("int8_t", kRecurrentWeights), four("int32_t", kBiases),
                    CArg("int8_t", n.inputs[kHidden]), CArg("int16_t", n.inputs[kCell]),
                    CArg("int8_t", n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    const int8_t* wx[4];
    const int8_t* wh[4];
    const int32_t* bias[4];
    for (size_t g = 0; g < 4; ++g) {
      wx[g] = static_cast<const int8_t*>(b.inputs[kInputWeights + g]);
      wh[g] = static_cast<const int8_t*>(b.inputs[kRecurrentWeights + g]);
      bias[g] = static_cast<const int32_t*>(b.inputs[kBiases + g]);
    }
    // The states are inputs the op owns and updates: their bytes are the arena's.
    return mcunet_lstm_s8(&params_, static_cast<const int8_t*>(b.inputs[0]), wx, wh, bias,
                          static_cast<int8_t*>(const_cast<void*>(b.inputs[kHidden])),
                          static_cast<int16_t*>(const_cast<void*>(b.inputs[kCell])),
                          static_cast<int8_t*>(b.outputs[0]));
  }

 private:
  mcunet_lstm_params params_;
};

bool Present(const Node& node, size_t i) { return i < node.inputs.size() && node.inputs[i] >= 0; }

// Which LSTM variant a model's optional inputs ask for, or "" for the plain one.
std::string Variant(const Node& node) {
  if (!Present(node, kInputWeights) || !Present(node, kRecurrentWeights)) {
    return "coupled input and forget gates (CIFG: no input gate weights)";
  }
  for (size_t i = 9; i < 12; ++i) {
    if (Present(node, i)) return fmt::format("peephole connections (input {})", i);
  }
  for (size_t i = 16; i < 18; ++i) {
    if (Present(node, i)) return fmt::format("a projection (input {})", i);
  }
  for (size_t i = 20; i < 24; ++i) {
    if (Present(node, i)) return fmt::format("layer normalisation (input {})", i);
  }
  return "";
}

// TF Lite multiplies the two scales in float before widening (as in FULLY_CONNECTED).
QuantizedMultiplier ProductMultiplier(float a, float b, double out) {
  return QuantizeMultiplier(static_cast<double>(a * b) / out);
}

}  // namespace

Status ParseTfliteUnidirectionalSequenceLstm(const tflite::Operator& op, Node* node) {
  const auto* o = op.builtin_options_as_UnidirectionalSequenceLSTMOptions();
  if (!o) return MissingOptions("UnidirectionalSequenceLSTMOptions");
  LstmAttrs a;
  a.activation = static_cast<int32_t>(o->fused_activation_function());
  a.cell_clip = o->cell_clip(), a.proj_clip = o->proj_clip();
  a.time_major = o->time_major();
  a.diagonal_recurrent = o->diagonal_recurrent_tensors();
  node->attrs = a;
  return OkStatus();
}

Expected<TfliteOptions> WriteTfliteUnidirectionalSequenceLstm(flatbuffers::FlatBufferBuilder& b,
                                                              const Graph&, const Node& node) {
  const auto& a = std::get<LstmAttrs>(node.attrs);
  return Options(tflite::BuiltinOptions::UnidirectionalSequenceLSTMOptions,
                 tflite::CreateUnidirectionalSequenceLSTMOptions(
                     b, static_cast<tflite::ActivationFunctionType>(a.activation), a.cell_clip,
                     a.proj_clip, a.time_major, false, a.diagonal_recurrent)
                     .Union());
}

Expected<std::unique_ptr<PreparedOp>> PrepareUnidirectionalSequenceLstm(const Graph& g,
                                                                        const Node& node) {
  const auto& attrs = std::get<LstmAttrs>(node.attrs);
  // Input 0 alone is required by position; the others are checked by role below.
  MCUNET_RETURN_IF_ERROR(ExpectArity(node, 1, 24, 1));
  if (node.inputs.size() < 20) {
    return Status::Error(
        fmt::format("{}: has {} inputs, expected 20 to 24", NodeLabel(node), node.inputs.size()));
  }
  if (const std::string v = Variant(node); !v.empty()) {
    return Status::Error(fmt::format(
        "{}: an LSTM with {} is not supported (as in TF Lite Micro: only the plain int8 LSTM)",
        NodeLabel(node), v));
  }
  if (attrs.diagonal_recurrent) {
    return Status::Error(
        fmt::format("{}: diagonal recurrent weights are not supported", NodeLabel(node)));
  }
  if (attrs.activation != static_cast<int32_t>(tflite::ActivationFunctionType::TANH)) {
    return Status::Error(fmt::format(
        "{}: cell gate activation {} is not supported (TANH; TF Lite Micro runs no other)",
        NodeLabel(node),
        tflite::EnumNameActivationFunctionType(
            static_cast<tflite::ActivationFunctionType>(attrs.activation))));
  }
  if (In(g, node, 0).type != DataType::kInt8) {
    return Status::Error(fmt::format("{}: input ({}) is {}; only the int8 LSTM is supported",
                                     NodeLabel(node), TensorLabel(g, node.inputs[0]),
                                     DataTypeName(In(g, node, 0).type)));
  }
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 0, DataType::kInt8, 3));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, kHidden, DataType::kInt8));
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, kCell, DataType::kInt16));
  MCUNET_RETURN_IF_ERROR(ExpectOutput(g, node, 0, DataType::kInt8, 3));
  const Tensor& input = In(g, node, 0);
  const Tensor& hidden = In(g, node, kHidden);
  const Tensor& cell = In(g, node, kCell);
  for (const auto& [i, role] : {std::pair{kHidden, "hidden state"}, {kCell, "cell state"}}) {
    if (!In(g, node, i).is_variable) {
      return Status::Error(fmt::format("{}: {} ({}) is not a variable tensor; the LSTM keeps it",
                                       NodeLabel(node), role, TensorLabel(g, node.inputs[i])));
    }
  }
  const int32_t batches = attrs.time_major ? input.shape[1] : input.shape[0];
  const int32_t steps = attrs.time_major ? input.shape[0] : input.shape[1];
  const int32_t input_size = input.shape[2];
  MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, kInputWeights, DataType::kInt8, 2));
  const int32_t units = In(g, node, kInputWeights).shape[0];
  for (size_t gate = 0; gate < 4; ++gate) {
    const std::string wx = fmt::format("input-to-{} weights", kGates[gate]);
    const std::string wh = fmt::format("recurrent-to-{} weights", kGates[gate]);
    const std::string bias = fmt::format("{} gate bias", kGates[gate]);
    for (const auto& [i, role, shape] :
         {std::tuple{kInputWeights + gate, wx, std::vector<int32_t>{units, input_size}},
          {kRecurrentWeights + gate, wh, std::vector<int32_t>{units, units}}}) {
      MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, i, DataType::kInt8, 2));
      MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, i));
      MCUNET_RETURN_IF_ERROR(ExpectShape(g, node, node.inputs[i], shape, role.c_str()));
      MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[i], role.c_str()));
      if (In(g, node, i).quant.zero_point() != 0) {
        return Status::Error(fmt::format(
            "{}: {} ({}) has zero point {}; LSTM weights are symmetric", NodeLabel(node), role,
            TensorLabel(g, node.inputs[i]), In(g, node, i).quant.zero_point()));
      }
    }
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, kBiases + gate, DataType::kInt32, 1));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, kBiases + gate));
    MCUNET_RETURN_IF_ERROR(
        ExpectShape(g, node, node.inputs[kBiases + gate], {units}, bias.c_str()));
  }
  if (hidden.NumElements() != int64_t{batches} * units ||
      cell.NumElements() != hidden.NumElements()) {
    return Status::Error(fmt::format(
        "{}: hidden state ({}) and cell state ({}) must hold batches x units = {} x {} values",
        NodeLabel(node), hidden.ShapeString(), cell.ShapeString(), batches, units));
  }
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.outputs[0], {input.shape[0], input.shape[1], units}, "output"));
  for (const auto& [tensor, role] : {std::pair{node.inputs[0], "input"},
                                     {node.inputs[kHidden], "hidden state"},
                                     {node.inputs[kCell], "cell state"}}) {
    MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, tensor, role));
  }
  // The cell state's scale must be a power of two: the tanh reads it as a shift.
  const float cell_scale = cell.quant.scale();
  const float log2_scale = std::log(cell_scale) * (1.0f / std::log(2.0f));
  const int power = static_cast<int>(std::round(log2_scale));
  if (cell.quant.zero_point() != 0 || !(std::abs(log2_scale - std::round(log2_scale)) < 1e-3f)) {
    return Status::Error(fmt::format(
        "{}: cell state ({}) has scale {} and zero point {}; the int8 LSTM needs a power-of-two "
        "scale and zero point 0",
        NodeLabel(node), TensorLabel(g, node.inputs[kCell]), cell_scale, cell.quant.zero_point()));
  }
  const int tanh_shift = 15 + power - 3;  // the cell state's bits above Q3.12's
  if (tanh_shift > 14) {
    return Status::Error(fmt::format("{}: cell state scale 2^{} is too coarse (at most 2^-4)",
                                     NodeLabel(node), power));
  }
  // Each gate's input product sums in int32 (x - zero point within +-255), with the bias.
  for (size_t gate = 0; gate < 4; ++gate) {
    const Tensor& w = In(g, node, kInputWeights + gate);
    const Tensor& r = In(g, node, kRecurrentWeights + gate);
    for (int32_t j = 0; j < units; ++j) {
      int64_t from_input = std::abs(int64_t{In(g, node, kBiases + gate).DataAs<int32_t>()[j]});
      int64_t from_hidden = 0;
      for (int32_t i = 0; i < input_size; ++i) {
        from_input += 255 * std::abs(int64_t{w.DataAs<int8_t>()[int64_t{j} * input_size + i]});
      }
      for (int32_t i = 0; i < units; ++i) {
        from_hidden += 255 * std::abs(int64_t{r.DataAs<int8_t>()[int64_t{j} * units + i]});
      }
      if (std::max(from_input, from_hidden) > std::numeric_limits<int32_t>::max()) {
        return Status::Error(fmt::format(
            "{}: unit {} of the {} gate could overflow the int32 accumulator (worst case {})",
            NodeLabel(node), j, kGates[gate], std::max(from_input, from_hidden)));
      }
    }
  }
  constexpr double kGateInput = 1.0 / 4096;       // Q3.12
  constexpr float kGateOutput = 1.0f / 32768.0f;  // Q0.15
  mcunet_lstm_params p{};
  p.batches = batches, p.time_steps = steps, p.time_major = attrs.time_major ? 1 : 0;
  p.input_size = input_size, p.units = units;
  p.input_offset = -input.quant.zero_point();
  p.hidden_offset = -hidden.quant.zero_point();
  p.hidden_zero_point = hidden.quant.zero_point();
  for (size_t gate = 0; gate < 4; ++gate) {
    const QuantizedMultiplier x = ProductMultiplier(
        input.quant.scale(), In(g, node, kInputWeights + gate).quant.scale(), kGateInput);
    const QuantizedMultiplier h = ProductMultiplier(
        hidden.quant.scale(), In(g, node, kRecurrentWeights + gate).quant.scale(), kGateInput);
    p.input_multiplier[gate] = x.multiplier, p.input_shift[gate] = x.shift;
    p.recurrent_multiplier[gate] = h.multiplier, p.recurrent_shift[gate] = h.shift;
  }
  // The element-wise products' scales multiply in double (TF Lite Micro's
  // CreateInterGateMulParams).
  const auto mul = [](double a, double b, double out) { return QuantizeMultiplier(a * b / out); };
  const QuantizedMultiplier forget = mul(kGateOutput, cell_scale, cell_scale);
  const QuantizedMultiplier update = mul(kGateOutput, kGateOutput, cell_scale);
  const QuantizedMultiplier out = mul(kGateOutput, kGateOutput, hidden.quant.scale());
  p.forget_multiplier = forget.multiplier, p.forget_shift = forget.shift;
  p.update_multiplier = update.multiplier, p.update_shift = update.shift;
  p.hidden_multiplier = out.multiplier, p.hidden_shift = out.shift;
  p.cell_clip = -1;
  if (attrs.cell_clip > 0) {
    p.cell_clip = static_cast<int16_t>(std::min(
        std::max(static_cast<double>(attrs.cell_clip) / static_cast<double>(cell_scale), -32768.0),
        32767.0));
  }
  // TF Lite's tanh input is Q3.12 times 3: a coarser cell state scales up, a finer one down.
  p.cell_tanh_multiplier = tanh_shift >= 0 ? 3 << tanh_shift : 3;
  p.cell_tanh_shift = tanh_shift >= 0 ? 0 : -tanh_shift;
  return std::unique_ptr<PreparedOp>(new Lstm(p));
}

int64_t MacsUnidirectionalSequenceLstm(const Graph& g, const Node& node) {
  if (!Present(node, 0) || !Present(node, kInputWeights)) return 0;
  const Tensor& input = In(g, node, 0);
  if (input.shape.size() != 3 || In(g, node, kInputWeights).shape.empty()) return 0;
  const int64_t units = In(g, node, kInputWeights).shape[0];
  return input.shape[0] * input.shape[1] * 4 * units * (input.shape[2] + units);
}

}  // namespace mcunet
