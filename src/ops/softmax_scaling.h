// What SOFTMAX and LOG_SOFTMAX share: their tensor checks (int8 rows in, int8
// of the same shape out, in the output quantisation TFLite fixes), TFLite's
// input scaling (PreprocessSoftmaxScaling, CalculateInputRadius): differences
// to the row maximum as Q5.26, and the radius beyond which they are ignored;
// and their float32 form.
#pragma once

#include <cstdint>
#include <memory>

#include "core/quant_math.h"
#include "core/status.h"
#include "ir/graph.h"
#include "ops/op.h"

namespace mcunet {

// One input and one output of these types and of one shape, of rank >= 1 (rows
// along the last dimension).
Status ExpectSoftmaxRows(const Graph& g, const Node& node, DataType input_type,
                         DataType output_type);
// The int8 form's: ExpectSoftmaxRows, per-tensor quantisation and the output's.
// `output_quant` names the required quantisation in errors ("1/256 and zero point -128").
Status ExpectSoftmaxTensors(const Graph& g, const Node& node, float output_scale,
                            int32_t output_zero_point, const char* output_quant,
                            DataType output_type = DataType::kInt8);

struct SoftmaxScaling {
  QuantizedMultiplier input;  // shift >= 1
  int32_t diff_min = 0;       // minus the input radius
};
Expected<SoftmaxScaling> SoftmaxInputScaling(const Node& node, double beta_times_input_scale);

// Both on float32 rows (a model dequantised before its head): float in, float
// of the same shape out; `log` for LOG_SOFTMAX (beta 1). In softmax.cc.
bool IsFloatSoftmax(const Graph& g, const Node& node);
Expected<std::unique_ptr<PreparedOp>> PrepareFloatSoftmax(const Graph& g, const Node& node,
                                                          float beta, bool log);

}  // namespace mcunet
