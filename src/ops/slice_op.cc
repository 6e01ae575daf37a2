#include "ops/slice_op.h"

#include <fmt/format.h>

#include "ops/kernel_emit.h"

namespace mcunet {
namespace {

class SliceCopy final : public PreparedOp {
 public:
  SliceCopy(std::vector<mcunet_strided_slice_params> outputs, size_t data_input)
      : outputs_(std::move(outputs)), data_input_(data_input) {}
  int Run(const OpBuffers& b) const override {
    for (size_t i = 0; i < outputs_.size(); ++i) {
      if (const int s = mcunet_strided_slice(&outputs_[i], b.inputs[data_input_], b.outputs[i]))
        return s;
    }
    return 0;
  }
  EmittedCall Emit(const EmitNames& n) const override {
    std::string definitions, call;
    for (size_t i = 0; i < outputs_.size(); ++i) {
      const std::string prefix =
          outputs_.size() == 1 ? n.prefix : fmt::format("{}_{}", n.prefix, i);
      definitions += MCUNET_C_PARAMS(MCUNET_STRIDED_SLICE_PARAMS_FIELDS,
                                     mcunet_strided_slice_params, prefix, outputs_[i]);
      call += fmt::format("{}mcunet_strided_slice(&{}_params, {}, {})", i == 0 ? "" : " | ", prefix,
                          CArg("const void", n.inputs[data_input_]), CArg("void", n.outputs[i]));
    }
    return {"strided_slice.c", definitions, outputs_.size() == 1 ? call : "(" + call + ")"};
  }

 private:
  std::vector<mcunet_strided_slice_params> outputs_;
  size_t data_input_;
};

}  // namespace

mcunet_strided_slice_params SliceParams(const Tensor& input, const SliceBox& box) {
  mcunet_strided_slice_params p{};
  p.element_bytes = static_cast<int32_t>(DataTypeSize(input.type));
  const int rank = static_cast<int>(input.shape.size());
  const int pad = 4 - rank;
  for (int d = 0; d < 4; ++d) {
    if (d < pad) {
      p.in_dims[d] = 1, p.start[d] = 0, p.stop[d] = 1, p.stride[d] = 1;
    } else {
      p.in_dims[d] = input.shape[d - pad];
      p.start[d] = box.start[d - pad], p.stop[d] = box.stop[d - pad];
      p.stride[d] = box.stride[d - pad];
    }
  }
  return p;
}

std::unique_ptr<PreparedOp> MakeSliceOp(std::vector<mcunet_strided_slice_params> outputs,
                                        size_t data_input) {
  return std::make_unique<SliceCopy>(std::move(outputs), data_input);
}

std::vector<SliceBox> SplitBoxes(const Tensor& input, int axis, const std::vector<int32_t>& sizes) {
  std::vector<SliceBox> boxes;
  int32_t offset = 0;
  for (int32_t size : sizes) {
    SliceBox box;
    for (size_t d = 0; d < input.shape.size(); ++d) {
      const bool cut = static_cast<int>(d) == axis;
      box.start.push_back(cut ? offset : 0);
      box.stop.push_back(cut ? offset + size : input.shape[d]);
      box.stride.push_back(1);
    }
    offset += size;
    boxes.push_back(std::move(box));
  }
  return boxes;
}

}  // namespace mcunet
