// The graph IR every front end produces and every back end consumes.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/dtype.h"
#include "core/quant_math.h"

namespace mcunet {

enum class OpKind {
#define MCUNET_OP(name, tflite_name, code) k##name,
#include "ir/op_list.def"
#undef MCUNET_OP
};

const char* OpKindName(OpKind kind);     // the TFLite builtin name, e.g. "CONV_2D"
int32_t OpKindBuiltinCode(OpKind kind);  // its TFLite BuiltinOperator value

struct QuantParams {
  std::vector<float> scales;  // one, or one per channel along quantized_dimension
  std::vector<int64_t> zero_points;
  int32_t quantized_dimension = 0;

  bool empty() const { return scales.empty(); }
  bool per_channel() const { return scales.size() > 1; }
  float scale() const { return scales.empty() ? 0.0f : scales[0]; }
  int32_t zero_point() const {
    return zero_points.empty() ? 0 : static_cast<int32_t>(zero_points[0]);
  }
};

struct Tensor {
  std::string name;
  DataType type = DataType::kUnknown;
  std::vector<int32_t> shape;
  QuantParams quant;
  bool is_constant = false;
  // State carried from one invocation to the next (TFLite's Tensor.is_variable:
  // SVDF and LSTM state). It lives in the arena's persistent part, starts at its
  // reset value and is updated in place by the operator that reads it.
  bool is_variable = false;
  std::vector<uint8_t> data;  // constants only (weights live in Flash on the MCU)

  int64_t NumElements() const;
  int64_t Bytes() const { return NumElements() * static_cast<int64_t>(DataTypeSize(type)); }
  std::string ShapeString() const;  // "1x96x96x3"
  template <typename T>
  const T* DataAs() const {
    return reinterpret_cast<const T*>(data.data());
  }
};

// SAME and VALID as in TFLite; kExplicit after a PAD has been folded into a
// convolution (the pads then sit in ConvAttrs).
enum class Padding : uint8_t { kSame, kValid, kExplicit };

struct ConvAttrs {  // CONV_2D, DEPTHWISE_CONV_2D
  Padding padding = Padding::kSame;
  int32_t stride_h = 1, stride_w = 1;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t depth_multiplier = 1;                                      // depthwise only
  int32_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;  // kExplicit only
  Activation activation = Activation::kNone;
  bool operator==(const ConvAttrs&) const = default;
};
struct PoolAttrs {
  Padding padding = Padding::kSame;
  int32_t stride_h = 1, stride_w = 1;
  int32_t filter_h = 1, filter_w = 1;
  Activation activation = Activation::kNone;
  bool operator==(const PoolAttrs&) const = default;
};
struct FullyConnectedAttrs {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
  bool operator==(const FullyConnectedAttrs&) const = default;
};
struct ElementwiseAttrs {  // ADD, MUL
  Activation activation = Activation::kNone;
  bool operator==(const ElementwiseAttrs&) const = default;
};
struct SoftmaxAttrs {
  float beta = 1.0f;
  bool operator==(const SoftmaxAttrs&) const = default;
};
struct ReducerAttrs {  // MEAN, SUM, REDUCE_MAX
  bool keep_dims = false;
  bool operator==(const ReducerAttrs&) const = default;
};
struct LeakyReluAttrs {
  float alpha = 0.0f;  // TFLite's default when the options table is absent
  bool operator==(const LeakyReluAttrs&) const = default;
};
struct ConcatAttrs {  // CONCATENATION
  int32_t axis = 0;   // as written: may be negative
  Activation activation = Activation::kNone;
  bool operator==(const ConcatAttrs&) const = default;
};
struct ResizeAttrs {  // RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR
  bool align_corners = false;
  bool half_pixel_centers = false;
  bool operator==(const ResizeAttrs&) const = default;
};
struct PackAttrs {  // PACK, UNPACK
  int32_t axis = 0;
  int32_t count = 0;  // values_count / num
  bool operator==(const PackAttrs&) const = default;
};
struct StridedSliceAttrs {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
  bool operator==(const StridedSliceAttrs&) const = default;
};
struct BlockSizeAttrs {  // DEPTH_TO_SPACE, SPACE_TO_DEPTH
  int32_t block_size = 0;
  bool operator==(const BlockSizeAttrs&) const = default;
};
struct GatherAttrs {
  int32_t axis = 0, batch_dims = 0;  // as written: may be negative
  bool operator==(const GatherAttrs&) const = default;
};
struct SvdfAttrs {
  int32_t rank = 0;
  Activation activation = Activation::kNone;
  bool operator==(const SvdfAttrs&) const = default;
};
struct LstmAttrs {
  int32_t activation = 0;  // TFLite's ActivationFunctionType code, as written
  float cell_clip = 0, proj_clip = 0;
  bool time_major = false;
  bool diagonal_recurrent = false;  // diagonal_recurrent_tensors: not supported
  bool operator==(const LstmAttrs&) const = default;
};
using Attributes =
    std::variant<std::monostate, ConvAttrs, PoolAttrs, FullyConnectedAttrs, ElementwiseAttrs,
                 SoftmaxAttrs, ReducerAttrs, LeakyReluAttrs, ConcatAttrs, ResizeAttrs, PackAttrs,
                 StridedSliceAttrs, BlockSizeAttrs, GatherAttrs, SvdfAttrs, LstmAttrs>;

struct Node {
  OpKind kind;
  int index = 0;            // position in the source model's operator list
  std::vector<int> inputs;  // tensor indices; -1 for an omitted optional input
  std::vector<int> outputs;
  Attributes attrs;
};

struct Graph {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;  // in execution order
  std::vector<int> inputs;
  std::vector<int> outputs;
};

// "operator 3 (CONV_2D)": the prefix of every error about a node.
std::string NodeLabel(const Node& node);
// "tensor 7 'conv1/weights'"
std::string TensorLabel(const Graph& graph, int index);

}  // namespace mcunet
