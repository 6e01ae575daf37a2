// HARD_SWISH int8, as TF Lite Micro computes it (hard_swish_common.cc;
// reference HardSwish): x * relu6(x + 3) / 6 in int16 fixed point, the input
// first rescaled by 2^7, two int16 multipliers (output and "reluish", each
// from a float ratio), the last product truncated. A table lookup.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "kernels/mcunet_fixed_point.h"
#include "ops/lut_op.h"
#include "ops/op_util.h"
#include "ops/tflite_options.h"

namespace mcunet {
namespace {

constexpr int32_t kInt16Min = std::numeric_limits<int16_t>::min();
constexpr int32_t kInt16Max = std::numeric_limits<int16_t>::max();

// gemmlowp's rounding doubling high multiply on int16 values.
int32_t RoundingHighMul16(int32_t a, int32_t b) {
  if (a == kInt16Min && b == kInt16Min) return kInt16Max;
  const int32_t ab = a * b;
  return (ab + (ab >= 0 ? (1 << 14) : 1 - (1 << 14))) / (1 << 15);
}

// The same without rounding (truncating division).
int32_t TruncatingHighMul16(int32_t a, int32_t b) {
  if (a == kInt16Min && b == kInt16Min) return kInt16Max;
  return a * b / (1 << 15);
}

int32_t ShiftLeftSaturating16(int32_t x, int amount) {
  return std::clamp(x * (1 << amount), kInt16Min, kInt16Max);
}

// TFLite's DownScaleInt32ToInt16Multiplier.
int32_t ToInt16Multiplier(int32_t m) {
  if (m >= std::numeric_limits<int32_t>::max() - (1 << 15)) return kInt16Max;
  return (m + (1 << 15)) >> 16;
}

}  // namespace

Status ParseTfliteHardSwish(const tflite::Operator&, Node*) { return OkStatus(); }

Expected<TfliteOptions> WriteTfliteHardSwish(flatbuffers::FlatBufferBuilder& b, const Graph&,
                                             const Node&) {
  return Options(tflite::BuiltinOptions::HardSwishOptions, tflite::CreateHardSwishOptions(b));
}

Expected<std::unique_ptr<PreparedOp>> PrepareHardSwish(const Graph& g, const Node& node) {
  MCUNET_RETURN_IF_ERROR(ExpectUnaryInt8(g, node));
  const float in_scale = In(g, node, 0).quant.scale();
  const float out_scale = Out(g, node).quant.scale();
  const float hires_input_scale = (1.0f / 128.0f) * in_scale;
  const float reluish_scale = 3.0f / 32768.0f;
  const QuantizedMultiplier output_m =
      QuantizeMultiplier(static_cast<double>(hires_input_scale / out_scale));
  const QuantizedMultiplier reluish_m =
      QuantizeMultiplier(static_cast<double>(hires_input_scale / reluish_scale));
  if (output_m.shift > 0 || output_m.multiplier < 0 || reluish_m.multiplier < 0) {
    return Status::Error(fmt::format(
        "{}: input scale {} and output scale {} need an output rescale above 1/128 (TF Lite "
        "Micro refuses it too)",
        NodeLabel(node), in_scale, out_scale));
  }
  const int32_t out_m16 = ToInt16Multiplier(output_m.multiplier);
  const int32_t reluish_m16 = ToInt16Multiplier(reluish_m.multiplier);
  const int reluish_exp = reluish_m.shift, out_exp = output_m.shift;
  const int32_t in_zp = In(g, node, 0).quant.zero_point();
  const int32_t out_zp = Out(g, node).quant.zero_point();
  return MakeLutOp(g, node, [=](int32_t v) {
    const int32_t hires = static_cast<int16_t>((v - in_zp) * 128);
    const int32_t preshift = RoundingHighMul16(hires, out_m16);
    int32_t reluish = hires;
    if (reluish_exp > 0) reluish = ShiftLeftSaturating16(reluish, reluish_exp - 1);
    reluish = RoundingHighMul16(reluish, reluish_m16);
    if (reluish_exp > 0) reluish = ShiftLeftSaturating16(reluish, 1);
    if (reluish_exp < 0) reluish = mcunet_rounding_divide_by_pot(reluish, -reluish_exp);
    reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);  // [-1, 1] -> [0, 1]
    const int32_t product = TruncatingHighMul16(reluish, preshift);
    const int32_t scaled = static_cast<int16_t>(mcunet_rounding_divide_by_pot(product, -out_exp));
    return static_cast<int32_t>(static_cast<int16_t>(scaled + out_zp));
  });
}

int64_t MacsHardSwish(const Graph&, const Node&) { return 0; }

}  // namespace mcunet
