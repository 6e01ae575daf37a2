// Builds the int8 IR graph of an ArchConfig, as it would be deployed: BN folded
// into conv biases, ReLU6 fused, PyTorch-style symmetric padding (k/2) made
// explicit, residual ADDs, global average pool, fully connected head. Weights
// and quantisation parameters are deterministic pseudo-random (seeded): memory
// and MACs depend only on the shapes, and the graph runs in the executor. Given
// a trained network's quantised tensors (ArchBuildOptions::trained), the same
// graph carries those instead: the deployed model, with the same plan.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "ir/graph.h"
#include "arch/arch.h"
#include "arch/quantized_arch.h"

namespace mcunet {

struct ArchBuildOptions {
  int input_channels = 0;  // 0: the arch's own (first_conv.in_channels)
  int resolution = 0;  // 0: the arch's own
  uint32_t seed = 1;
  // false: constants get shapes and quantisation but no data. Enough to prepare
  // and plan (the NAS measures thousands of archs); not enough to run.
  bool with_weights = true;
  // Not null: the trained network's weights and quantisation (checked against
  // the arch's shapes; not owned, read during the call only). `seed` and
  // `with_weights` are then ignored.
  const QuantizedArch* trained = nullptr;
};

Expected<Graph> BuildArchGraph(const ArchConfig& arch, const ArchBuildOptions& options = {});

// Parameters as the PyTorch model counts them (conv weights, two per BN channel,
// classifier weights and bias): the figure papers and the archs README quote.
int64_t ArchTrainingParams(const ArchConfig& arch);

}  // namespace mcunet
