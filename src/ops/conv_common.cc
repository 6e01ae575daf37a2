#include "ops/conv_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "ops/in_place.h"
#include "ops/kernel_emit.h"
#include "ops/op_util.h"

namespace mcunet {
namespace {

class ConvOp final : public PreparedOp {
 public:
  ConvOp(ConvKernel kernel, mcunet_conv_params params, ConvQuant quant, const ConstantData& data)
      : kernel_(kernel), params_(params), quant_(std::move(quant)) {
    const int8_t* const filter = data.filter;
    const int32_t* const bias = data.bias;
    params_.multiplier = quant_.multiplier.data();
    params_.shift = quant_.shift.data();
    params_.widen = HasCompactVariant() ? 1 : 0;
    const int64_t n = int64_t{params_.k_h} * params_.k_w * params_.in_c;
    std::vector<int8_t> negated;
    if (filter != nullptr) negated = NegateChannels(filter, n, bias);
    const int8_t* rows = negated.empty() ? filter : negated.data();
    // The generated C's DSP blocks read each channel pair's rows four values
    // at a time from both (kernels/mcunet_dot.h: mcunet_filter_pair).
    if (rows != nullptr && Widens() && n % 4 == 0 && params_.out_c >= 2) {
      filter_bytes_ = FilterRowsInPairs(rows, params_.out_c, n);
      paired_ = true;
    } else if (!negated.empty()) {
      filter_bytes_.assign(negated.begin(), negated.end());
    }
    // Rows stored widened take the assembly alone (mcunet_wide_rows_ok): a
    // bias, channels in pairs, every multiplier positive (negated ones too)
    // and the short requantisation.
    const std::vector<int32_t>& m = negated.empty() ? quant_.multiplier : negated_multiplier_;
    wide_rows_ok_ = paired_ && data.has_bias && params_.out_c % 2 == 0 && ShortRequant() &&
                    std::all_of(m.begin(), m.end(), [](int32_t v) { return v >= 0; });
    // Depthwise by pixel widens its filter for the DSP cores, but only once
    // the plan has settled whether the layer runs by pixel (SetCompactScratch).
    dw_widens_ =
        kernel_ == mcunet_depthwise_conv2d_dm1_s8 && data.has_bias && params_.in_c % 4 == 0;
    if (rows != nullptr && dw_widens_) dw_rows_.assign(rows, rows + n);
  }
  // The cost model keys on these: depthwise by columns and 3 x 3 by rows; the
  // compact variants; first layers' padded windows; and widening blocks whose
  // requantisation the assembly does not take (kernels/mcunet_dot.h), which
  // run in C.
  std::string KernelVariant() const override {
    if (Kernel() == mcunet_depthwise_conv2d_rows_s8) {
      // 3 x 3 windows take their own unrolled rows (kernels/depthwise_conv_rows_s8.c).
      if (mcunet_dw_by_columns(&params_)) return "columns";
      return params_.k_w == 3 ? "3x3" : "";
    }
    if (!Widens()) return "";
    if (!params_.widen) {
      if (kernel_ != mcunet_conv2d_im2col_s8) return "compact";
      // Its own entry (Emit). Windows widen one at a time where the assembly
      // takes the requantisation and the rows pair (conv_im2col_s8.c; a layer
      // without a bias, rare, gathers them under the same name).
      return paired_ && ShortRequant() ? "" : "general";
    }
    if (kernel_ == mcunet_conv2d_im2col_s8 && params_.in_c % 4 != 0) return "padded";
    if (WideRows()) return "wide";
    return ShortRequant() ? "" : "general";
  }
  WiderConstants OfferWiderConstants(std::optional<int64_t> distance) const override {
    const int64_t pixels = int64_t{params_.batches} * params_.out_h * params_.out_w;
    const int64_t taps = int64_t{params_.k_h} * params_.k_w;
    // The 1x1 kernel runs its three-pixel blocks, the only path for widened
    // rows, only where the planned in-place distance allows them.
    if (WideRowsPossible() &&
        (kernel_ != mcunet_conv1x1_s8 || !distance ||
         mcunet_conv1x1_threes_fit(*distance, static_cast<int32_t>(pixels), params_.in_c,
                                   params_.out_c))) {
      // 16 instructions for 24 multiply-accumulates instead of 20
      // (kernels/mcunet_dot_asm.c).
      const int64_t macs = pixels * taps * params_.in_c * params_.out_c;
      return {WiderExtraBytes(), macs / 6, ""};
    }
    if (DepthwiseLayoutWhenWide() != 0) {
      // 8 instructions a tap of four channels instead of 10
      // (kernels/depthwise_conv_dm1_wide_s8.c).
      const int64_t macs = pixels * taps * params_.out_c;
      return {WiderExtraBytes(), macs / 2, "mcunet_depthwise_conv2d_dm1_wide_s8"};
    }
    return {};
  }
  void AllowWiderConstants(bool allow) override { wider_allowed_ = allow; }
  bool SetCompactScratch(bool compact) override {
    if (!HasCompactVariant()) return false;
    params_.widen = compact ? 0 : 1;
    return true;
  }
  bool FastVariantAllows(int64_t distance) const override {
    // One channel at a time: an output starting a whole number of pixels from
    // its input writes only bytes of the channel already read.
    return !RunsByChannel() || distance % params_.in_c == 0;
  }
  int64_t ScratchBytes() const override {
    if (Kernel() == mcunet_depthwise_conv2d_rows_s8) {
      return mcunet_depthwise_conv2d_rows_scratch(&params_);
    }
    // Gathered windows (kernels/conv_im2col_s8.c).
    if (kernel_ == mcunet_conv2d_im2col_s8) {
      // Three windows widened to int16, straight from the image when whole
      // groups of four channels allow, else through a table of the window's
      // offsets padded to whole groups (and an int8 window for those reaching
      // into the padding), beside the filter rows padded likewise.
      const int64_t window = int64_t{params_.k_h} * params_.k_w * params_.in_c;
      if (!params_.widen) return 2 * window;
      if (params_.in_c % 4 == 0) return 6 * window;
      const int64_t window4 = (window + 3) / 4 * 4;
      return window4 * (window4 > window ? 11 + params_.out_c : 11);
    }
    // Three pixels widened to int16 (kernels/conv_1x1_s8.c).
    if (kernel_ == mcunet_conv1x1_s8 && params_.widen) return 6 * int64_t{params_.in_c};
    return 0;
  }
  int64_t ParameterBytes() const override {
    const int64_t requant =
        static_cast<int64_t>(quant_.multiplier.size() + quant_.shift.size()) * 4;
    // The Flash of DSP cores, the larger: widened rows or a widened depthwise
    // filter hold each weight twice over, once granted (WiderExtraBytes).
    return requant + (wider_allowed_ ? WiderExtraBytes() : 0);
  }
  int64_t InPlaceOffset(size_t input) const override {
    if (input != 0) return kNoInPlace;
    if (kernel_ == mcunet_conv1x1_s8) {
      // Pixel pairs: a pair's outputs are written while both its inputs are
      // read. (The DSP path's blocks of three run in place only where the
      // kernel finds them as safe at the offset it is given.)
      const int64_t pixels = int64_t{params_.batches} * params_.out_h * params_.out_w;
      return SmallestSafeOffset(
          (pixels + 1) / 2, [&](int64_t t) { return 2 * t * params_.in_c; },
          [&](int64_t t) { return std::min(2 * t + 2, pixels) * params_.out_c; });
    }
    // Pixel by pixel: each output pixel is written while its window is read.
    return WindowedKernelOffset(params_, params_.in_c, params_.out_c);
  }
  EmittedCall Emit(const EmitNames& n) const override {
    // The kernel's C name and file.
    struct Variant {
      ConvKernel kernel;
      const char* name;
      const char* file;
    };
    static constexpr Variant kVariants[] = {
        {mcunet_conv2d_s8, "mcunet_conv2d_s8", "conv_s8.c"},
        {mcunet_conv1x1_s8, "mcunet_conv1x1_s8", "conv_1x1_s8.c"},
        {mcunet_conv2d_im2col_s8, "mcunet_conv2d_im2col_s8", "conv_im2col_s8.c"},
        {mcunet_depthwise_conv2d_s8, "mcunet_depthwise_conv2d_s8", "depthwise_conv_s8.c"},
        {mcunet_depthwise_conv2d_dm1_s8, "mcunet_depthwise_conv2d_dm1_s8",
         "depthwise_conv_dm1_s8.c"},
        {mcunet_depthwise_conv2d_rows_s8, "mcunet_depthwise_conv2d_rows_s8",
         "depthwise_conv_rows_s8.c"}};
    const Variant* v = kVariants;
    while (v->kernel != Kernel()) ++v;
    // The compact gathering variant has an entry of its own, so that the
    // linker drops the widening paths from a project that does not take them;
    // so has depthwise by pixel over a widened filter.
    const int dw_layout = EmittedDepthwiseLayout();
    const char* name = Kernel() == mcunet_conv2d_im2col_s8 && !params_.widen
                           ? "mcunet_conv2d_im2col_compact_s8"
                       : dw_layout ? "mcunet_depthwise_conv2d_dm1_wide_s8"
                                   : v->name;
    EmittedCall e;
    e.kernel_file = dw_layout ? "depthwise_conv_dm1_wide_s8.c" : v->file;
    mcunet_conv_params emitted = params_;
    emitted.dsp_layout = WideRows() ? 3 : paired_ ? 1 : dw_layout;
    const std::vector<int32_t>& dsp_multiplier =
        negated_multiplier_.empty() ? quant_.multiplier : negated_multiplier_;
    std::string multipliers = CInt32Array(n.prefix + "_multiplier", quant_.multiplier);
    if (dw_layout == 2) {
      // (multiplier, ~shift) pairs: one LDRD per channel, the shift as the
      // assembly's ASRS takes it (kernels/depthwise_conv_dm1_wide_s8.c).
      std::vector<int32_t> pairs;
      for (size_t c = 0; c < dsp_multiplier.size(); ++c) {
        pairs.push_back(dsp_multiplier[c]);
        pairs.push_back(~quant_.shift[c]);
      }
      multipliers = "#ifdef MCUNET_SIMD32 /* (multiplier, ~shift) pairs for the assembly */\n" +
                    CInt32Array(n.prefix + "_multiplier", pairs) + "#else\n" + multipliers +
                    "#endif\n";
    } else if (!negated_multiplier_.empty()) {
      multipliers = "#ifdef MCUNET_SIMD32 /* channels negated for the assembly */\n" +
                    CInt32Array(n.prefix + "_multiplier", negated_multiplier_) + "#else\n" +
                    multipliers + "#endif\n";
    }
    e.definitions =
        multipliers + CInt32Array(n.prefix + "_shift", quant_.shift) +
        MCUNET_C_PARAMS(MCUNET_CONV_PARAMS_FIELDS, mcunet_conv_params, n.prefix, emitted);
    // A strided output (a view in a channel concatenation) takes the entry with
    // its stride; the cost model (which emits without one) counts it as the other.
    const bool strided = n.output_stride != 0;
    e.call =
        fmt::format("{}(&{}_params, {}, {}, {}, {}, {}{})",
                    !strided                        ? name
                    : Kernel() == mcunet_conv1x1_s8 ? "mcunet_conv1x1_strided_s8"
                                                    : "mcunet_conv2d_im2col_strided_s8",
                    n.prefix, CArg("const int8_t", n.inputs[0]), CArg("const int8_t", n.inputs[1]),
                    CArg("const int32_t", n.inputs.size() > 2 ? n.inputs[2] : "NULL"),
                    CArg("int8_t", n.outputs[0]), CArg("int8_t", n.scratch),
                    strided ? fmt::format(", {}", n.output_stride) : "");
    return e;
  }
  std::vector<uint8_t> EmittedConstant(size_t input) const override {
    if (input == 1) {
      if (WideRows()) return PairRowsWidened();
      return EmittedDepthwiseLayout() ? DepthwiseFilterWidened() : filter_bytes_;
    }
    return input == 2 ? bias_bytes_ : std::vector<uint8_t>{};
  }
  // The 1x1 and gathering kernels write their pixels any stride apart (a
  // channel concatenation's view), through entries of their own.
  bool WritesStridedOutput() const override {
    return Kernel() == mcunet_conv1x1_s8 || Kernel() == mcunet_conv2d_im2col_s8;
  }
  int Run(const OpBuffers& b) const override {
    if (b.output_stride != 0) {
      const auto strided = Kernel() == mcunet_conv1x1_s8 ? mcunet_conv1x1_strided_s8
                                                         : mcunet_conv2d_im2col_strided_s8;
      return strided(&params_, static_cast<const int8_t*>(b.inputs[0]),
                     static_cast<const int8_t*>(b.inputs[1]),
                     b.inputs.size() > 2 ? static_cast<const int32_t*>(b.inputs[2]) : nullptr,
                     static_cast<int8_t*>(b.outputs[0]), static_cast<int8_t*>(b.scratch),
                     static_cast<int32_t>(b.output_stride));
    }
    return Kernel()(&params_, static_cast<const int8_t*>(b.inputs[0]),
                    static_cast<const int8_t*>(b.inputs[1]),
                    b.inputs.size() > 2 ? static_cast<const int32_t*>(b.inputs[2]) : nullptr,
                    static_cast<int8_t*>(b.outputs[0]), static_cast<int8_t*>(b.scratch));
  }

 private:
  // The kernels with a widening variant (kernels/mcunet_dot.h) that has a
  // compact counterpart needing less scratch.
  bool Widens() const {
    return (kernel_ == mcunet_conv1x1_s8 && params_.in_c % 4 == 0) ||
           kernel_ == mcunet_conv2d_im2col_s8;
  }
  // Depthwise with multiplier 1: one channel at a time through padded lines of
  // the channel (kernels/depthwise_conv_rows_s8.c) when scratch allows, else
  // pixel by pixel, all channels at once, without scratch. By channel pays
  // for its set-up per line only on long lines (rows, or columns of tall narrow
  // maps), has DSP paths for square windows 3, 5 and 7 wide only, and only at
  // stride 1: at stride 2 copying four input bytes into the lines per output
  // costs more than it saves (docs/engine-results.md).
  bool RunsByChannel() const {
    const int32_t k = params_.k_w;
    return kernel_ == mcunet_depthwise_conv2d_dm1_s8 && params_.k_h == k &&
           (k == 3 || k == 5 || k == 7) && params_.stride_w == 1 && params_.stride_h == 1 &&
           std::max(params_.out_w, params_.out_h) >= mcunet_dw_long_line(&params_);
  }
  bool HasCompactVariant() const { return Widens() || RunsByChannel(); }
  // The requantisation the assembly blocks take (mcunet_requant_is_short).
  bool ShortRequant() const {
    if (params_.act_min != -128 || params_.act_max != 127) return false;
    for (size_t c = 0; c < quant_.shift.size(); ++c) {
      if (quant_.shift[c] > -2) return false;
    }
    return true;
  }
  // Rows interleaved in pairs stored widened to int16 (dsp_layout 3): where the
  // three-pixel blocks run (not the compact variants; the padded first layers
  // pad their rows at run time), given in-place placement allows them.
  bool WideRowsPossible() const { return wide_rows_ok_ && params_.widen; }
  bool WideRows() const { return wider_allowed_ && WideRowsPossible(); }
  // Row pairs as FilterRowsInPairs interleaves them, each group of four values
  // of a pair as int16: row oc's values (0, 2), (1, 3), then row oc + 1's, so
  // that one LDM gives the four words the assembly multiplies.
  std::vector<uint8_t> PairRowsWidened() const {
    std::vector<uint8_t> out;
    out.reserve(filter_bytes_.size() * 2);
    for (size_t g = 0; g + 8 <= filter_bytes_.size(); g += 8) {
      for (size_t i : {0, 2, 1, 3, 4, 6, 5, 7}) {
        const auto v = static_cast<uint16_t>(static_cast<int8_t>(filter_bytes_[g + i]));
        out.push_back(static_cast<uint8_t>(v & 0xFF));
        out.push_back(static_cast<uint8_t>(v >> 8));
      }
    }
    return out;
  }
  ConvKernel Kernel() const {
    return RunsByChannel() && params_.widen ? mcunet_depthwise_conv2d_rows_s8 : kernel_;
  }
  // Depthwise by pixel on the DSP cores: 0, the model's layout and its kernel
  // (kernels/depthwise_conv_dm1_s8.c; no bias, channels not in whole groups of
  // four, or wider constants not allowed); else the widened filter's entry
  // (kernels/depthwise_conv_dm1_wide_s8.c), 1 for its assembly's sums, 2 for
  // its requantisation too (every effective multiplier >= 0, every shift <= -2,
  // the full int8 range).
  int DepthwiseDspLayout() const { return wider_allowed_ ? DepthwiseLayoutWhenWide() : 0; }
  int DepthwiseLayoutWhenWide() const {
    if (!dw_widens_ || Kernel() != mcunet_depthwise_conv2d_dm1_s8) return 0;
    const std::vector<int32_t>& m =
        negated_multiplier_.empty() ? quant_.multiplier : negated_multiplier_;
    const bool positive = std::all_of(m.begin(), m.end(), [](int32_t v) { return v >= 0; });
    return positive && ShortRequant() ? 2 : 1;
  }
  // The Flash the wider constants add (rows widened, or a depthwise layout):
  // each weight a byte more, and for depthwise layout 2 ~shift beside each
  // multiplier; 0 where neither applies. A layer is one or the other.
  int64_t WiderExtraBytes() const {
    const int64_t taps = int64_t{params_.k_h} * params_.k_w;
    if (WideRowsPossible()) return taps * params_.in_c * params_.out_c;
    const int layout = DepthwiseLayoutWhenWide();
    if (layout == 0) return 0;
    return taps * params_.out_c +
           (layout == 2 ? static_cast<int64_t>(quant_.shift.size()) * 4 : 0);
  }
  // The layout the generated C takes: none without the filter's data (nothing
  // to widen; the Flash estimate, ParameterBytes, still counts it).
  int EmittedDepthwiseLayout() const { return dw_rows_.empty() ? 0 : DepthwiseDspLayout(); }
  // The filter [k_h][k_w][c] as int16 in groups of four channels, each group's
  // taps together, a tap's weights in the order (0, 2, 1, 3): one LDRD gives
  // the even channels' pair and the odd ones'.
  std::vector<uint8_t> DepthwiseFilterWidened() const {
    const int32_t c_count = params_.out_c;
    const int64_t taps = int64_t{params_.k_h} * params_.k_w;
    std::vector<uint8_t> out;
    out.reserve(dw_rows_.size() * 2);
    for (int32_t g = 0; g < c_count; g += 4) {
      for (int64_t t = 0; t < taps; ++t) {
        for (int32_t c : {g, g + 2, g + 1, g + 3}) {
          const auto v = static_cast<uint16_t>(static_cast<int16_t>(dw_rows_[t * c_count + c]));
          out.push_back(static_cast<uint8_t>(v & 0xFF));
          out.push_back(static_cast<uint8_t>(v >> 8));
        }
      }
    }
    return out;
  }
  // A channel whose multiplier is negative takes the DSP cores' assembly with
  // its weights, bias and multiplier negated: the sum S becomes -S, and
  // (-S) x (-m) is the product S x m that the requantisation rounds, so the
  // output is the same (|S| <= INT32_MAX: CheckAccumulatorFits; every shift
  // <= -2, the only layers the assembly takes, so S is not scaled up and
  // wrapped first). Returns the filter so negated and sets bias_bytes_ and
  // negated_multiplier_, or returns nothing (no negative multiplier, a shift
  // above -2, a weight of -128, or a kernel without assembly).
  std::vector<int8_t> NegateChannels(const int8_t* filter, int64_t n, const int32_t* bias) {
    const bool depthwise = kernel_ == mcunet_depthwise_conv2d_dm1_s8;
    const int32_t out_c = params_.out_c;
    if (!Widens() && !depthwise) return {};
    const int64_t taps = int64_t{params_.k_h} * params_.k_w;
    const int64_t count = depthwise ? taps * out_c : n * out_c;
    // Element i's channel: depthwise filters are [1][k_h][k_w][out_c].
    const auto channel = [&](int64_t i) { return depthwise ? i % out_c : i / n; };
    const auto negative = [&](int64_t c) { return quant_.multiplier[c] < 0; };
    if (std::none_of(quant_.multiplier.begin(), quant_.multiplier.end(),
                     [](int32_t m) { return m < 0; }) ||
        std::any_of(quant_.shift.begin(), quant_.shift.end(), [](int32_t e) { return e > -2; })) {
      return {};
    }
    for (int64_t i = 0; i < count; ++i) {
      if (negative(channel(i)) && filter[i] == -128) return {};
    }
    std::vector<int8_t> negated(filter, filter + count);
    for (int64_t i = 0; i < count; ++i) {
      if (negative(channel(i))) negated[i] = static_cast<int8_t>(-negated[i]);
    }
    negated_multiplier_ = quant_.multiplier;
    for (int32_t& m : negated_multiplier_) m = m < 0 ? -m : m;
    if (bias != nullptr) {
      bias_bytes_.resize(static_cast<size_t>(out_c) * 4);
      for (int32_t c = 0; c < out_c; ++c) {
        const int32_t b = negative(c) ? -bias[c] : bias[c];
        std::memcpy(bias_bytes_.data() + 4 * c, &b, 4);
      }
    }
    return negated;
  }
  ConvKernel kernel_;
  mcunet_conv_params params_;
  ConvQuant quant_;
  // The generated C's filter and bias on DSP cores (interleaved in pairs,
  // negated channels); empty: the model's.
  std::vector<uint8_t> filter_bytes_, bias_bytes_;
  bool paired_ = false;                      // filter_bytes_ interleaves rows in pairs
  bool wider_allowed_ = false;               // granted by Compile (flash_for_speed)
  bool wide_rows_ok_ = false;                // the rows may be stored widened
  bool dw_widens_ = false;                   // depthwise by pixel with a bias, channels in fours
  std::vector<int8_t> dw_rows_;              // its filter (negated channels) to widen
  std::vector<int32_t> negated_multiplier_;  // empty: the model's on every core
};

}  // namespace

std::unique_ptr<PreparedOp> MakeConvOp(ConvKernel kernel, mcunet_conv_params params,
                                       ConvQuant quant, const ConstantData& data) {
  return std::make_unique<ConvOp>(kernel, params, std::move(quant), data);
}

ConstantData ConvConstants(const Graph& g, const Node& node) {
  const Tensor& filter = In(g, node, 1);
  const bool has_bias = node.inputs.size() > 2 && node.inputs[2] >= 0;
  if (filter.data.empty() || (has_bias && In(g, node, 2).data.empty())) {
    return {nullptr, nullptr, has_bias};
  }
  return {filter.DataAs<int8_t>(), has_bias ? In(g, node, 2).DataAs<int32_t>() : nullptr, has_bias};
}

std::vector<uint8_t> FilterRowsInPairs(const int8_t* rows, int32_t out_c, int64_t n) {
  std::vector<uint8_t> out(static_cast<size_t>(out_c * n));
  for (int32_t oc = 0; oc < out_c; ++oc) {
    // Channels 2j and 2j + 1 take turns, four values each; an odd last row
    // stays whole. Either way row oc's group g lands in its pair's 2n bytes.
    const bool paired = (oc | 1) < out_c;
    const int64_t base = int64_t{oc & ~1} * n + (paired ? (oc & 1) * 4 : 0);
    const int64_t step = paired ? 8 : 4;
    for (int64_t i = 0; i < n; ++i) {
      out[static_cast<size_t>(base + i / 4 * step + i % 4)] =
          static_cast<uint8_t>(rows[oc * n + i]);
    }
  }
  return out;
}

Expected<ConvQuant> PrepareConvQuant(const Graph& g, const Node& node, int channel_dim,
                                     int32_t channels, DataType bias_type) {
  MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 1));
  const Tensor& input = In(g, node, 0);
  const Tensor& filter = In(g, node, 1);
  const Tensor& output = Out(g, node);
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.inputs[0], "input"));
  MCUNET_RETURN_IF_ERROR(ExpectPerTensorQuant(g, node, node.outputs[0], "output"));
  const size_t count = filter.quant.scales.size();
  if (count != 1 &&
      (count != static_cast<size_t>(channels) || filter.quant.quantized_dimension != channel_dim)) {
    return Status::Error(
        fmt::format("{}: filter ({}) has {} scales along dimension {}; expected 1 "
                    "or {} along dimension {}",
                    NodeLabel(node), TensorLabel(g, node.inputs[1]), count,
                    filter.quant.quantized_dimension, channels, channel_dim));
  }
  for (int64_t zp : filter.quant.zero_points) {
    if (zp != 0) {
      return Status::Error(fmt::format("{}: filter ({}) zero point {} must be 0 (symmetric int8)",
                                       NodeLabel(node), TensorLabel(g, node.inputs[1]), zp));
    }
  }
  if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
    MCUNET_RETURN_IF_ERROR(ExpectInput(g, node, 2, bias_type));
    MCUNET_RETURN_IF_ERROR(ExpectConstant(g, node, 2));
    if (In(g, node, 2).NumElements() != channels) {
      return Status::Error(fmt::format("{}: bias ({}) has {} values for {} output channels",
                                       NodeLabel(node), TensorLabel(g, node.inputs[2]),
                                       In(g, node, 2).NumElements(), channels));
    }
  }
  ConvQuant q;
  for (int32_t c = 0; c < channels; ++c) {
    const double filter_scale = filter.quant.scales[count == 1 ? 0 : c];
    const double effective = static_cast<double>(input.quant.scale()) * filter_scale /
                             static_cast<double>(output.quant.scale());
    const QuantizedMultiplier m = QuantizeMultiplier(effective);
    q.multiplier.push_back(m.multiplier);
    // A zero scale (a channel of zero weights) gives multiplier 0, whose output
    // is the zero point whatever the shift; a shift <= -2 keeps the layer on
    // the kernels' short requantisation (mcunet_requant_is_short).
    q.shift.push_back(m.multiplier == 0 ? std::min(m.shift, -2) : m.shift);
  }
  return q;
}

Status FillConvParams(const Graph& g, const Node& node, const ConvAttrs& attrs, int32_t k_h,
                      int32_t k_w, int32_t out_c, mcunet_conv_params* p) {
  MCUNET_RETURN_IF_ERROR(CheckWindow(node, k_h, k_w, attrs.stride_h, attrs.stride_w,
                                     attrs.dilation_h, attrs.dilation_w));
  const Tensor& input = In(g, node, 0);
  const Tensor& output = Out(g, node);
  if (attrs.padding == Padding::kExplicit) {
    for (int32_t pad : {attrs.pad_top, attrs.pad_bottom, attrs.pad_left, attrs.pad_right}) {
      if (pad < 0 || pad > (1 << 20)) {
        return Status::Error(
            fmt::format("{}: explicit padding {} outside 0..2^20", NodeLabel(node), pad));
      }
    }
  }
  const Padded ph = ComputePadding(attrs.padding, input.shape[1], k_h, attrs.stride_h,
                                   attrs.dilation_h, attrs.pad_top, attrs.pad_bottom);
  const Padded pw = ComputePadding(attrs.padding, input.shape[2], k_w, attrs.stride_w,
                                   attrs.dilation_w, attrs.pad_left, attrs.pad_right);
  MCUNET_RETURN_IF_ERROR(
      ExpectShape(g, node, node.outputs[0], {input.shape[0], ph.out, pw.out, out_c}, "output"));
  *p = mcunet_conv_params{};
  p->batches = input.shape[0];
  p->in_h = input.shape[1], p->in_w = input.shape[2], p->in_c = input.shape[3];
  p->out_h = ph.out, p->out_w = pw.out, p->out_c = out_c;
  p->k_h = k_h, p->k_w = k_w;
  p->stride_h = attrs.stride_h, p->stride_w = attrs.stride_w;
  p->dilation_h = attrs.dilation_h, p->dilation_w = attrs.dilation_w;
  p->pad_top = ph.pad_before, p->pad_left = pw.pad_before;
  p->input_offset = -input.quant.zero_point();
  p->output_offset = output.quant.zero_point();
  const ClampRange range =
      output.type == DataType::kInt16
          ? ActivationRangeInt16(attrs.activation, output.quant.scale(), output.quant.zero_point())
          : ActivationRangeInt8(attrs.activation, output.quant.scale(), output.quant.zero_point());
  p->act_min = range.min, p->act_max = range.max;
  return OkStatus();
}

}  // namespace mcunet
