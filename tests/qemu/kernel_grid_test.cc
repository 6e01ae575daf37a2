// The DSP kernel paths (ARMv7E-M SIMD: pixel pairs of the 1x1 and gathered
// convolutions, four-channel depthwise blocks) on the emulated Cortex-M7, one
// single-layer project per case, byte for byte against the host runtime's
// portable path (itself checked against the spec reference in tests/kernels).
// The shapes aim at the edges of those paths: channel counts that are not a
// multiple of four or of the 32-channel block, an odd pixel count (the last
// pixel unpaired), widths that leave a remainder after the 3-wide unroll,
// 1 to 4 input channels, padding, stride 2, extreme zero points.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "kernels/single_op.h"

namespace mcunet::testing {
namespace {

struct GridCase {
  bool depthwise;
  int in_h, in_w, in_c, out_c, k, stride;
  Padding padding;
  int zp_in, zp_out;
  // RELU6 clamps inside int8; without an activation the full int8 range is the
  // clamp, which sends 1x1 and widened k x k blocks through their assembly.
  bool relu6 = true;
  // Some channels with a negative filter scale (so a negative multiplier), as
  // some converted models have: the generated C negates their weights, bias and
  // multiplier for the DSP cores' assembly (ops/conv_common.cc).
  bool negative_scales = false;
  // Output scales near the input's (shifts above -2, outside the kernels' short
  // requantisation).
  bool large_scales = false;
  // Weights down to -128, which cannot be negated: negative multipliers then
  // take the kernels' own paths (the assembly between them, C for them).
  bool min_weight = false;
  std::string Name() const {
    return fmt::format("{}_{}x{}x{}_oc{}_k{}_s{}_{}_zp{}_{}{}{}{}", depthwise ? "dw" : "conv", in_h,
                       in_w, in_c, out_c, k, stride, padding == Padding::kSame ? "same" : "valid",
                       zp_in < 0 ? fmt::format("m{}", -zp_in) : std::to_string(zp_in),
                       zp_out < 0 ? fmt::format("m{}", -zp_out) : std::to_string(zp_out),
                       relu6 ? "" : "_noact", negative_scales ? "_negscale" : "",
                       large_scales ? "_largescale" : "") +
           (min_weight ? "_minweight" : "");
  }
};

std::vector<GridCase> Cases() {
  const Padding same = Padding::kSame, valid = Padding::kValid;
  return {
      // 1x1: pairs of pixels x pairs of output channels, odd remainders of each.
      {false, 3, 5, 8, 24, 1, 1, same, 3, -4},
      {false, 3, 5, 24, 8, 1, 1, same, -128, 127},
      {false, 1, 7, 7, 7, 1, 1, same, 127, -128},
      {false, 2, 3, 33, 5, 1, 1, valid, 0, 0},
      {false, 1, 1, 3, 1, 1, 1, same, -1, 2},
      // Full int8 range: whole channel pairs in assembly, odd ones and pixels in C.
      {false, 3, 5, 8, 24, 1, 1, same, 3, -4, false},
      {false, 3, 3, 12, 7, 1, 1, same, -128, 127, false},
      {false, 2, 2, 4, 2, 1, 1, same, 127, -128, false},
      {false, 1, 3, 36, 5, 1, 1, same, 0, 0, false},
      {false, 3, 5, 8, 24, 1, 1, same, 3, -4, false, true},
      {false, 2, 3, 16, 9, 1, 1, same, -50, 50, false, true},
      // Three pixels at a time, the last two one at a time; odd channel counts.
      {false, 2, 4, 8, 6, 1, 1, same, 5, -5, false},
      {false, 1, 5, 12, 7, 1, 1, same, -3, 3, false, true},
      {false, 5, 6, 8, 6, 3, 1, same, 20, -20, false, true},
      // k x k through two gathered windows: first layers with 1 to 4 channels.
      {false, 9, 9, 3, 8, 3, 2, same, -128, -20},
      {false, 8, 7, 1, 4, 3, 2, same, 5, 0},
      {false, 6, 6, 2, 3, 3, 1, valid, -7, 9},
      {false, 7, 5, 4, 16, 5, 2, same, 100, -100},
      {false, 5, 7, 8, 8, 3, 1, same, 3, -4},
      {false, 5, 5, 13, 6, 3, 2, valid, -60, 60},
      {false, 9, 9, 3, 8, 3, 2, same, -128, -20, false},
      {false, 7, 6, 1, 5, 3, 1, valid, 9, -9, false},
      {false, 6, 6, 3, 7, 3, 1, valid, -2, 2, false, true},
      // k x k with whole groups of four channels: windows widened from the image.
      {false, 6, 5, 12, 7, 3, 2, valid, -9, 33},
      {false, 5, 6, 8, 6, 3, 1, same, 20, -20, false},
      {false, 4, 5, 4, 5, 3, 1, same, -9, 9, false},
      // Compact k x k, one window widened at a time (micro_speech's first layer):
      // straight from the image where rows are whole groups, else gathered;
      // an odd last channel in C; shifts above -2 on the gathered pairs.
      {false, 9, 8, 1, 8, 4, 2, same, -128, 7, false},
      {false, 7, 9, 2, 5, 2, 1, same, 3, -3, false},
      {false, 6, 7, 1, 6, 2, 1, valid, 10, -10, false},
      {false, 8, 8, 4, 7, 3, 2, same, -20, 20, false, true},
      {false, 6, 6, 4, 6, 3, 1, same, 5, 5, false, false, true},
      // Depthwise, multiplier 1: 4-channel blocks, 32-channel sums, 3-wide unroll.
      {true, 6, 7, 4, 4, 3, 1, same, 3, -4},
      {true, 5, 8, 35, 35, 3, 1, same, -128, 127},
      {true, 7, 7, 6, 6, 3, 2, same, 17, -3},
      {true, 9, 10, 3, 3, 5, 1, same, -5, 5},
      {true, 9, 9, 40, 40, 5, 2, valid, 90, -90},
      {true, 11, 4, 1, 1, 7, 1, same, 0, 0},
      {true, 6, 6, 64, 64, 3, 2, same, -33, 12},
      {true, 4, 11, 9, 9, 7, 2, same, 1, -1},
      // Pixel by pixel with the filter widened for the assembly: requantised there
      // (full range), 5 x 5 and 7 x 7 through the tap loop, negated channels,
      // clipped 3 x 3 windows of a short map; sums requantised in C (shifts above
      // -2, a -128 weight that cannot be negated).
      {true, 9, 9, 40, 40, 5, 2, valid, 90, -90, false},
      {true, 8, 8, 8, 8, 7, 2, same, -3, 3, false, true},
      {true, 4, 4, 16, 16, 3, 1, same, 3, -3, false},
      {true, 7, 7, 12, 12, 3, 2, same, 5, -5, false, false, true},
      {true, 7, 9, 8, 8, 3, 2, same, 2, 2, false, true, false, true},
      // Rows longer than the one-channel kernel's tiles of 32 outputs.
      {true, 4, 70, 8, 8, 3, 1, same, -20, 7},
      {true, 5, 71, 5, 5, 3, 2, valid, 44, -2},
      {true, 6, 37, 12, 12, 3, 1, valid, -3, 3},
      {true, 6, 33, 16, 16, 3, 2, same, 128 - 1, -128},
      // 5 and 7 wide one channel at a time: pairs of outputs, odd last ones, tiles.
      {true, 6, 9, 5, 5, 5, 1, same, -7, 3},
      {true, 5, 12, 7, 7, 5, 1, valid, 60, -128},
      {true, 7, 19, 6, 6, 5, 2, same, -128, 5},
      {true, 9, 35, 3, 3, 7, 1, same, 2, -2},
      {true, 8, 23, 4, 4, 7, 2, valid, -50, 50},
      // Tall narrow maps one channel at a time by columns (kws' 25 x 5).
      {true, 25, 5, 8, 8, 3, 1, same, 3, -4},
      {true, 33, 4, 5, 5, 3, 2, same, -128, 127, false},
      {true, 40, 3, 4, 4, 3, 1, same, 20, -20, false},
      {true, 12, 5, 6, 6, 5, 1, same, -7, 7},
      {true, 20, 7, 3, 3, 7, 2, same, 50, -50},
      // One channel at a time with the full int8 range: 5 x 5 and 7 x 7 stride 1
      // pairs in assembly (odd lines compute one more), the requantisation in
      // assembly (odd tiles first); 3 x 3 likewise; negative multipliers and
      // shifts above -2 requantised in C; tiles of 32 and a remainder.
      {true, 9, 37, 4, 4, 7, 1, same, -5, 9, false},
      {true, 8, 35, 5, 5, 5, 1, same, 12, -3, false},
      {true, 7, 20, 6, 6, 5, 1, valid, -128, 127, false},
      {true, 12, 14, 3, 3, 7, 1, valid, 3, -3, false},
      {true, 9, 19, 12, 12, 7, 1, same, 4, -4, false, true},
      {true, 6, 17, 6, 6, 5, 1, same, -2, 8, false, false, true},
      {true, 5, 33, 4, 4, 3, 1, same, -9, 9, false},
      // 3 x 3 lines whole in assembly: even lines, odd columns.
      {true, 6, 18, 8, 8, 3, 1, valid, 7, -7, false},
      {true, 25, 5, 7, 7, 3, 1, same, -128, 127, false},
      {true, 6, 35, 4, 4, 3, 2, same, 1, -1, false},
      {true, 30, 6, 3, 3, 7, 1, same, 5, 5, false},
      {true, 9, 21, 5, 5, 7, 2, same, -7, 7, false},
      // Pixel order with the full int8 range: sums and requantisation in
      // assembly. Whole 3 x 3 windows, windows cut to 2 or 1 rows (entered at a
      // later row) or 2 columns (the tap loop), 1 x 1 windows, 5 x 5 windows,
      // 1 to 3 channels left over in C.
      {true, 6, 6, 8, 8, 3, 1, same, -128, -128, false},
      {true, 3, 3, 7, 7, 3, 1, same, 5, -7, false},
      {true, 7, 8, 13, 13, 3, 2, same, -128, 10, false},
      {true, 5, 5, 36, 36, 3, 1, valid, 3, -3, false},
      {true, 2, 6, 4, 4, 3, 1, same, 100, 0, false},
      {true, 1, 1, 9, 9, 3, 1, same, 0, 0, false},
      {true, 6, 7, 12, 12, 5, 1, same, -20, 20, false},
      // The assembly's sums, requantised in C: more than one block of 32
      // channels, shifts above -2.
      {true, 6, 6, 12, 12, 3, 1, same, 7, -9, false, true},
      {true, 5, 6, 42, 42, 3, 2, same, -1, 1, false, true},
      {true, 6, 6, 10, 10, 3, 1, same, -128, 3, false, false, true},
      {true, 3, 4, 36, 36, 3, 1, same, 60, -128, true, false, true},
      // Negative multipliers beside weights of -128 (not negated): runs of
      // channel pairs in assembly, the others in C; depthwise sums requantised
      // in C.
      {false, 3, 5, 8, 24, 1, 1, same, 3, -4, false, true, false, true},
      {false, 8, 8, 4, 7, 3, 2, same, -20, 20, false, true, false, true},
      {false, 6, 6, 3, 7, 3, 1, valid, -2, 2, false, true, false, true},
      {true, 6, 6, 12, 12, 3, 1, same, 7, -9, false, true, false, true},
      {true, 9, 19, 12, 12, 7, 1, same, 4, -4, false, true, false, true},
  };
}

class QemuKernelGrid : public ::testing::TestWithParam<GridCase> {};

TEST_P(QemuKernelGrid, DspPathEqualsHostRuntime) {
  const GridCase c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>()(c.Name())));
  std::uniform_real_distribution<float> scale(0.002f, 0.05f);
  const auto out_size = [&](int in) {
    return c.padding == Padding::kSame ? (in + c.stride - 1) / c.stride
                                       : (in - c.k + c.stride) / c.stride;
  };
  const int out_h = out_size(c.in_h), out_w = out_size(c.in_w);
  const float s_in = scale(rng), s_out = scale(rng) * 4;
  std::vector<float> s_w(c.out_c);
  for (auto& s : s_w) s = scale(rng) / 4;
  for (size_t ch = 2; c.negative_scales && ch < s_w.size(); ch += 5) s_w[ch] = -s_w[ch];
  // Effective scales s_in * s_w / s_out from about 0.2 to 3: shifts -2 to 2.
  for (size_t ch = 0; c.large_scales && ch < s_w.size(); ++ch)
    s_w[ch] = s_w[ch] * 240 * s_out / s_in;
  std::vector<float> s_b;
  for (float s : s_w) s_b.push_back(s_in * s);
  std::vector<int32_t> bias(c.out_c);
  for (auto& b : bias) b = static_cast<int32_t>(rng() % 20001) - 10000;

  SingleOpGraph g;
  const int t_in = g.AddTensor(DataType::kInt8, {1, c.in_h, c.in_w, c.in_c}, {s_in}, {c.zp_in});
  const size_t per_channel = static_cast<size_t>(c.k) * c.k * (c.depthwise ? 1 : c.in_c);
  std::vector<int8_t> weights = RandomInt8(rng, per_channel * c.out_c, -127, 127);
  // Channel 2 (a negative scale's) holds a -128, which cannot be negated.
  if (c.min_weight) weights[c.depthwise ? 2 : 2 * per_channel] = -128;
  const int t_w =
      g.AddConstant(DataType::kInt8,
                    c.depthwise ? std::vector<int32_t>{1, c.k, c.k, c.out_c}
                                : std::vector<int32_t>{c.out_c, c.k, c.k, c.in_c},
                    weights, s_w, std::vector<int64_t>(c.out_c, 0), c.depthwise ? 3 : 0);
  const int t_b =
      g.AddConstant(DataType::kInt32, {c.out_c}, bias, s_b, std::vector<int64_t>(c.out_c, 0));
  const int t_out = g.AddTensor(DataType::kInt8, {1, out_h, out_w, c.out_c}, {s_out}, {c.zp_out});
  ConvAttrs attrs;
  attrs.padding = c.padding;
  attrs.stride_h = attrs.stride_w = c.stride;
  attrs.activation = c.relu6 ? Activation::kRelu6 : Activation::kNone;
  g.SetNode(c.depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D, {t_in, t_w, t_b}, {t_out},
            attrs);
  const auto input = AsBytes(RandomInt8(rng, static_cast<size_t>(c.in_h) * c.in_w * c.in_c));
  const auto expected = g.Run({input});

  // As planned (compact here: one layer leaves no gap for scratch), with the
  // fast variant forced (1x1 and k x k: pixels widened once, three at a time,
  // the filter rows stored widened where that path takes them; depthwise: one
  // channel at a time), and once more with the model's filter bytes (no
  // constants widened for speed): 1x1 and k x k fast, depthwise by pixel
  // (kernels/depthwise_conv_dm1_s8.c).
  // Rows stored widened (dsp_layout 3) where the three-pixel blocks run: a
  // bias, the full int8 range with shifts <= -2, multipliers positive once
  // negated, channels in pairs, whole groups of four values.
  const bool widens_rows = !c.depthwise && !c.relu6 && !c.large_scales && !c.min_weight &&
                           c.out_c % 2 == 0 && per_channel % 4 == 0 && (c.k > 1 || c.in_c % 4 == 0);
  for (int run_index : {0, 1, 2}) {
    const bool narrow = run_index == 2;
    const bool fast = run_index == 1 || (narrow && !c.depthwise);
    if (narrow && !c.depthwise && !widens_rows) continue;  // the fast run was narrow
    // The one-channel variant takes 3 x 3 windows on rows or columns of 16
    // outputs or more, 5 x 5 and 7 x 7 on rows or columns of 8 or more, at
    // stride 1 (one channel: the graph pass makes it a CONV_2D); the 1x1
    // widens from 4 input channels.
    const int line = std::max(out_w, out_h);
    const bool ring = c.k == 3 ? line >= 16 : (c.k == 5 || c.k == 7) && line >= 8;
    const bool has_fast =
        c.depthwise ? c.in_c > 1 && ring && c.stride == 1 : c.k > 1 || c.in_c >= 4;
    if (fast && !has_fast) continue;
    const bool by_channel = fast && c.depthwise;
    PlanOptions options;
    if (fast) {
      options.in_place = false;  // apart: any distance (in place: tests/kernels)
      options.fast_kernels_always = true;
    }
    CompileOptions compile;
    compile.optimize = false;  // as SingleOpGraph::Build
    compile.plan = options;
    compile.flash_for_speed = !narrow;
    auto compiled = Compile(g.graph(), compile);
    ASSERT_TRUE(compiled.ok()) << compiled.status().message();
    auto ex = Executor::Create(std::move(*compiled));
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    auto files = GenerateCProject((*ex)->model(), CodegenOptions{});
    ASSERT_TRUE(files.ok()) << files.status().message();
    const bool wide_rows = widens_rows && fast && !narrow;
    EXPECT_EQ(files->at("model/model.c").find(".dsp_layout = 3") != std::string::npos, wide_rows);
    const std::string variant = by_channel    ? "depthwise_conv_rows_s8.c"
                                : c.depthwise ? "depthwise_conv_dm1_s8.c"
                                : c.k == 1    ? "conv_1x1_s8.c"
                                              : "conv_im2col_s8.c";
    EXPECT_TRUE(files->count("kernels/" + variant)) << "expected the kernel in " << variant;
    const auto dir = std::filesystem::temp_directory_path() / ("mcunet_grid_" + c.Name());
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
    auto run = RunOnQemu(dir.string(), "model", "cortex-m7", input, "");
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_EQ(run->output, expected) << variant
                                     << (narrow ? " (model's filter bytes)"
                                         : fast ? " (fast)"
                                                : " (compact)")
                                     << (wide_rows ? ", rows widened" : "");
    std::filesystem::remove_all(dir);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, QemuKernelGrid, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.Name(); });

}  // namespace
}  // namespace mcunet::testing
