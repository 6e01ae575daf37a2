#include "nas/baselines.h"

#include <fmt/format.h>

#include "nas/search_space.h"

namespace mcunet {

ArchConfig MobileNetV2Arch(double w, int resolution, int input_channels, int num_classes) {
  struct Stage {
    int expand, channels, repeats, stride;
  };
  static constexpr Stage kStages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                      {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  ArchConfig a;
  a.name = fmt::format("mbv2-w{:.2f}-r{}", w, resolution);
  a.resolution = resolution;
  a.first_conv = {input_channels, MakeDivisible(32 * w), 3, 2, ArchActivation::kRelu6};
  int channels = a.first_conv.out_channels;
  for (const Stage& s : kStages) {
    const int out = MakeDivisible(s.channels * w);
    for (int i = 0; i < s.repeats; ++i) {
      MBConvConfig b;
      b.in_channels = channels;
      b.out_channels = out;
      b.kernel_size = 3;
      b.stride = i == 0 ? s.stride : 1;
      b.expand_ratio = s.expand;
      b.mid_channels = s.expand == 1 ? channels : MakeDivisible(channels * s.expand);
      b.residual = b.stride == 1 && channels == out;
      a.blocks.push_back(b);
      channels = out;
    }
  }
  const int mix = MakeDivisible(1280 * w);
  a.feature_mix = ConvLayerConfig{channels, mix, 1, 1, ArchActivation::kRelu6};
  a.classifier_in = mix;
  a.num_classes = num_classes;
  return a;
}

Expected<ScaledBaseline> ScaleMobileNetV2(const std::vector<double>& widths,
                                          const std::vector<int>& resolutions, int input_channels,
                                          int num_classes, const Constraints& c) {
  std::optional<ScaledBaseline> best;
  for (double w : widths) {
    for (int r : resolutions) {
      ArchConfig arch = MobileNetV2Arch(w, r, input_channels, num_classes);
      CostOptions o;
      o.input_channels = input_channels;
      MCUNET_ASSIGN_OR_RETURN(ArchCost cost, MeasureArch(arch, o));
      if (cost.peak_sram_bytes > c.sram_bytes || cost.flash_bytes > c.flash_bytes) continue;
      if (!best || cost.macs > best->cost.macs) best = ScaledBaseline{arch, w, cost};
    }
  }
  if (!best) {
    return Status::Error(fmt::format(
        "no scaled MobileNetV2 (w {}..{}, r {}..{}) fits SRAM {} B / Flash {} B", widths.front(),
        widths.back(), resolutions.front(), resolutions.back(), c.sram_bytes, c.flash_bytes));
  }
  return *best;
}

}  // namespace mcunet
