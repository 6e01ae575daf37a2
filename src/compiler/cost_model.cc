#include "compiler/cost_model.h"

#include <algorithm>
#include <cmath>

namespace mcunet {
namespace {

// Fitted by `build/bench_cost_model --target T --print-table MODELS` on the models
// in models/ and, for the kernels they do not use, 35 one-operator models of
// tests/golden_ops (docs/engine-results.md: date, commit, command, error per model). Refit when a
// kernel changes: the bench shows the committed table's error next to a fresh fit.
// A variant none of those models uses any more keeps the row of its last fit.
constexpr KernelCost kCortexM7[] = {
    {"invoke", {3, 0, 0, 0, 0, 0, 0, 0}},
    {"mcunet_add_s16", {0, 0, 106.7, 57.06, 0, 0, 0, 0}},
    {"mcunet_add_s8", {178.8, 0, 24, 0, 0, 0, 0, 0}},
    {"mcunet_arg_min_max", {222.1, 0, 116.7, 24.7, 1.148, 0, 0, 0}},
    {"mcunet_avg_pool_s8", {0, 0, 27.3, 0, 0.0008454, 0, 299.9, 1.929}},
    {"mcunet_concat", {0, 0, 6.393, 0, 0, 0, 0, 0}},
    {"mcunet_conv1x1_s8", {3802, 0, 11.01, 32.19, 0.3828, 0.5525, 0, 0.8765}},
    {"mcunet_conv1x1_s8:compact", {0, 0, 0, 0, 0, 0, 0, 2.719}},
    {"mcunet_conv1x1_s8:general", {1.23e+04, 0, 30.35, 0, 0, 1.017, 14.64, 1.091}},
    {"mcunet_conv1x1_s8:wide", {2251, 0, 11.15, 33.94, 0.3999, 0.5453, 0, 0.711}},
    {"mcunet_conv2d_im2col_s8", {3.267e+04, 0.9142, 0, 343.8, 0, 0.08903, 6.541, 0}},
    {"mcunet_conv2d_im2col_compact_s8", {0, 0, 0, 0, 0, 0, 0, 2.76}},
    {"mcunet_conv2d_im2col_compact_s8:general", {0, 0, 0, 0, 0, 0, 0, 4.181}},
    {"mcunet_conv2d_im2col_s8:padded", {3.657e+04, 0.4611, 4.597, 151.2, 0, 0.9796, 2.765, 0.7068}},
    {"mcunet_conv2d_im2col_s8:wide", {2.747e+04, 0.7384, 2.093, 306.7, 0, 0.3381, 6.51, 0}},
    {"mcunet_conv2d_s16", {0, 0, 33.1, 772, 0, 0, 0, 14.23}},
    {"mcunet_depthwise_conv2d_dm1_s8", {8013, 0.1467, 7.109, 5.776, 0, 0, 0, 3.569}},
    {"mcunet_depthwise_conv2d_dm1_wide_s8", {5872, 0.1316, 5.239, 6.96, 0, 0, 0, 3.08}},
    {"mcunet_depthwise_conv2d_rows_s8", {8.807e+05, 1.185, 15.47, 0, 0, 0, 0, 0}},
    {"mcunet_depthwise_conv2d_rows_s8:3x3", {4.871e+04, 3.141, 0, 0, 0, 0, 0, 0}},
    {"mcunet_depthwise_conv2d_rows_s8:columns", {0, 0, 0, 0, 0, 0, 0, 4.047}},
    {"mcunet_depthwise_conv2d_s16", {0, 16.74, 0, 0, 0, 0, 0, 26.22}},
    {"mcunet_dequantize_s8_f32", {0, 0, 19, 0, 0, 0, 0, 0}},
    {"mcunet_fully_connected_s16", {53.82, 0, 0, 0, 1.474, 0, 0, 14.4}},
    {"mcunet_fully_connected_s8", {0, 0, 59.1, 217.8, 0.08645, 0.01597, 0, 1.558}},
    {"mcunet_gather", {0, 0, 3.792, 36.79, 0, 0, 0, 0}},
    {"mcunet_lstm_s8", {0, 0, 707.5, 0, 0, 0, 0, 5.658}},
    {"mcunet_lut_s8", {19, 0, 10, 0, 0, 0, 0, 0}},
    {"mcunet_maximum_s8", {0, 0, 25.71, 0, 0, 0, 0, 0}},
    {"mcunet_mean_s8", {0, 0, 0, 12.07, 0, 0, 0, 45.35}},
    {"mcunet_minimum_s8", {0, 0, 25.71, 0, 0, 0, 0, 0}},
    {"mcunet_prelu_s8", {0, 0, 0, 0, 0, 0, 0, 64.83}},
    {"mcunet_quantize_f32_s8", {0, 0, 16, 0, 0, 0, 0, 0}},
    {"mcunet_reduce_max_s8", {0, 0, 0, 0, 24.92, 0, 0, 0}},
    {"mcunet_resize_nearest", {0, 0, 9.913, 0, 0, 0, 0, 0}},
    {"mcunet_softmax_s8", {0, 0, 210.6, 1030, 0, 0, 0, 0}},
    {"mcunet_squared_difference_s8", {0, 0, 0, 0, 0, 0, 0, 117.1}},
    {"mcunet_strided_slice", {0, 0, 37.37, 0, 0.1362, 0, 0, 0}},
    {"mcunet_sub_s8", {0, 0, 126.1, 0, 0, 0, 0, 0}},
    {"mcunet_svdf_s8", {0, 0, 8.705, 77.74, 1.912, 0, 150.2, 13.85}},
    {"mcunet_transpose", {0, 0, 37.99, 0, 0, 0, 0, 0}},
    {"mcunet_transpose_conv_s16", {0, 0, 0, 0, 49.55, 0, 305.2, 9.379}},
    {"memmove", {0, 0, 0.1269, 3.881, 0, 0, 0, 0}},
};

constexpr KernelCost kCortexM0Plus[] = {
    {"invoke", {2, 0, 0, 0, 0, 0, 0, 0}},
    {"mcunet_add_s16", {0, 0, 297, 120.7, 0, 0, 0, 0}},
    {"mcunet_add_s8", {2126, 0, 216.8, 0, 0, 0, 0, 0}},
    {"mcunet_arg_min_max", {55.69, 0, 298.3, 8.473, 0.4332, 0, 0, 0}},
    {"mcunet_avg_pool_s8", {0, 0, 293.4, 0, 0.04132, 0, 1.545e+04, 15.02}},
    {"mcunet_concat", {0, 0, 7.962, 0, 0, 0, 0, 0}},
    {"mcunet_conv1x1_s8", {9923, 0, 100.3, 27.38, 0, 0, 0, 6.341}},
    // No DSP: rows stored widened are the DSP cores' only; the same path as without.
    {"mcunet_conv1x1_s8:wide", {9923, 0, 100.3, 27.38, 0, 0, 0, 6.341}},
    {"mcunet_conv1x1_s8:compact", {0, 0, 0, 0, 0, 0, 0, 19.04}},
    {"mcunet_conv1x1_s8:general", {4.3e+04, 0, 101.9, 0, 0, 0, 0, 6.745}},
    {"mcunet_conv2d_im2col_s8", {1.38e+04, 6.486, 97.25, 328, 0, 5.812, 12.63, 0}},
    {"mcunet_conv2d_im2col_s8:wide", {1.38e+04, 6.486, 97.25, 328, 0, 5.812, 12.63, 0}},
    {"mcunet_conv2d_im2col_compact_s8", {0, 0, 0, 0, 0, 0, 0, 11.48}},
    {"mcunet_conv2d_im2col_compact_s8:general", {0, 0, 0, 0, 0, 0, 0, 11.48}},
    {"mcunet_conv2d_im2col_s8:padded", {4.851e+04, 1.479, 85.73, 29.05, 0, 0.4085, 61.19, 5.727}},
    {"mcunet_conv2d_s16", {0, 0, 96.98, 2270, 0, 0, 0, 30.68}},
    {"mcunet_depthwise_conv2d_dm1_s8", {0, 0.312, 165.3, 124.3, 1.458, 0, 0, 13.27}},
    // No DSP: the widened filter's entry runs the other.
    {"mcunet_depthwise_conv2d_dm1_wide_s8", {0, 0.312, 165.3, 124.3, 1.458, 0, 0, 13.27}},
    {"mcunet_depthwise_conv2d_rows_s8", {1.035e+06, 11.56, 124.5, 0, 0, 0, 0, 0}},
    {"mcunet_depthwise_conv2d_rows_s8:3x3", {9.468e+04, 25.79, 0, 0, 0, 0, 0, 0}},
    {"mcunet_depthwise_conv2d_rows_s8:columns", {0, 0, 0, 0, 0, 0, 0, 31.89}},
    {"mcunet_depthwise_conv2d_s16", {0, 35.68, 0, 0, 0, 0, 0, 57.73}},
    {"mcunet_dequantize_s8_f32", {0, 0, 177.5, 0, 0, 0, 0, 0}},
    {"mcunet_fully_connected_s16", {76.11, 0, 0, 0, 2.097, 0, 0, 32.66}},
    {"mcunet_fully_connected_s8", {0, 0, 138.2, 56.18, 0, 0, 0, 11}},
    {"mcunet_gather", {0, 0, 2.833, 72.83, 0, 0, 0, 0}},
    {"mcunet_lstm_s8", {0, 0, 1566, 0, 0, 0, 0, 7.62}},
    {"mcunet_lut_s8", {19, 0, 10, 0, 0, 0, 0, 0}},
    {"mcunet_maximum_s8", {0, 0, 138.8, 0, 0, 0, 0, 0}},
    {"mcunet_mean_s8", {0, 0, 0, 16.33, 0, 0, 0, 92.45}},
    {"mcunet_minimum_s8", {0, 0, 138.8, 0, 0, 0, 0, 0}},
    {"mcunet_prelu_s8", {0, 0, 0, 99.18, 0, 0, 218.8, 173.2}},
    {"mcunet_quantize_f32_s8", {0, 0, 361, 0, 0, 0, 0, 0}},
    {"mcunet_reduce_max_s8", {0, 0, 0, 0, 44.63, 0, 0, 0}},
    {"mcunet_resize_nearest", {0, 0, 12.72, 0, 0, 0, 0, 0}},
    {"mcunet_softmax_s8", {0, 0, 667.7, 3489, 0, 0, 0, 0}},
    {"mcunet_squared_difference_s8", {0, 0, 0, 0, 0, 0, 0, 407.4}},
    {"mcunet_strided_slice", {0, 0, 49.82, 0, 0.1043, 0, 0, 0}},
    {"mcunet_sub_s8", {0, 0, 416.1, 0, 0, 0, 0, 0}},
    {"mcunet_svdf_s8", {0, 0, 17.36, 155.9, 3.821, 0, 305, 22.33}},
    {"mcunet_transpose", {0, 0, 84.9, 0, 0, 0, 0, 0}},
    {"mcunet_transpose_conv_s16", {0, 0, 0, 0, 173, 0, 658.1, 17.37}},
    {"memmove", {13.83, 0, 5.003, 0, 0, 0, 0, 0}},
};

}  // namespace

std::array<double, kCostFeatures> CostFeatures(const LayerStats& layer) {
  const double macs = static_cast<double>(layer.macs);
  const double outputs = static_cast<double>(layer.output_elements);
  const double pixels = static_cast<double>(layer.output_pixels);
  const double window = outputs > 0 ? macs * pixels / outputs : 0.0;
  return {1.0,
          macs,
          outputs,
          pixels,
          static_cast<double>(layer.input_elements),
          window,
          layer.input_channels > 0 ? window / static_cast<double>(layer.input_channels) : 0,
          static_cast<double>(layer.inside_macs)};
}

std::span<const KernelCost> KernelCosts(std::string_view target) {
  if (target == "cortex-m7" || target == "cortex-m4") return kCortexM7;
  if (target == "cortex-m0plus") return kCortexM0Plus;
  return {};
}

CostEstimate EstimateInstructions(const ModelStats& stats, std::string_view target) {
  const std::span<const KernelCost> table = KernelCosts(target);
  const auto find = [&](std::string_view kernel) -> const KernelCost* {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const KernelCost& c) { return c.kernel == kernel; });
    return it == table.end() ? nullptr : &*it;
  };
  CostEstimate estimate;
  double total = 0;
  if (const KernelCost* invoke = find("invoke")) total += invoke->per[0];
  for (const LayerStats& layer : stats.layers) {
    double cost = 0;
    if (layer.kernel.empty()) {
      // Nothing runs: an alias the plan made free.
    } else if (const KernelCost* c = find(layer.kernel)) {
      const auto f = CostFeatures(layer);
      for (int i = 0; i < kCostFeatures; ++i) cost += c->per[i] * f[i];
    } else if (std::find(estimate.unknown_kernels.begin(), estimate.unknown_kernels.end(),
                         layer.kernel) == estimate.unknown_kernels.end()) {
      estimate.unknown_kernels.push_back(layer.kernel);
    }
    estimate.layers.push_back(std::llround(cost));
    total += cost;
  }
  estimate.instructions = std::llround(total);
  return estimate;
}

}  // namespace mcunet
