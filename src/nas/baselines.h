// The paper's baseline: MobileNetV2 scaled in width and resolution to the
// largest network (most MACs) that fits the device, as measured by our planner.
#pragma once
#include <vector>

#include "core/status.h"
#include "arch/arch.h"
#include "nas/evolution.h"

namespace mcunet {

// MobileNetV2 (Sandler et al.) at width multiplier w: every width, including the
// 1280-channel feature mix, rounded by MakeDivisible (as MCUNet's mbv2-w0.35).
ArchConfig MobileNetV2Arch(double width, int resolution, int input_channels, int num_classes);

struct ScaledBaseline {
  ArchConfig arch;
  double width = 0;
  ArchCost cost;
};
// Errors when no (w, r) of the grid fits.
Expected<ScaledBaseline> ScaleMobileNetV2(const std::vector<double>& widths,
                                          const std::vector<int>& resolutions, int input_channels,
                                          int num_classes, const Constraints& constraints);

}  // namespace mcunet
