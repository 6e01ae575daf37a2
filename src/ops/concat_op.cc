#include "ops/concat_op.h"

#include <fmt/format.h>

#include "ops/kernel_emit.h"

namespace mcunet {
namespace {

class Concatenation final : public PreparedOp {
 public:
  explicit Concatenation(std::vector<mcunet_concat_params> parts) : parts_(std::move(parts)) {}
  // With a single chunk per input (concatenation along the outermost non-unit
  // axis), input 0 is the output's first bytes: it may already sit there.
  int64_t InPlaceOffset(size_t input) const override {
    return input == 0 && parts_[0].outer == 1 ? 0 : kNoInPlace;
  }
  int Run(const OpBuffers& b) const override {
    for (size_t i = 0; i < parts_.size(); ++i) {
      if (const int s = mcunet_concat(&parts_[i], b.inputs[i], b.outputs[0])) return s;
    }
    return 0;
  }
  EmittedCall Emit(const EmitNames& n) const override {
    std::string definitions, call;
    for (size_t i = 0; i < parts_.size(); ++i) {
      const std::string prefix = fmt::format("{}_{}", n.prefix, i);
      definitions +=
          MCUNET_C_PARAMS(MCUNET_CONCAT_PARAMS_FIELDS, mcunet_concat_params, prefix, parts_[i]);
      call += fmt::format("{}mcunet_concat(&{}_params, {}, {})", i == 0 ? "" : " | ", prefix,
                          CArg("const void", n.inputs[i]), CArg("void", n.outputs[0]));
    }
    return {"concat.c", definitions, "(" + call + ")"};
  }

 private:
  std::vector<mcunet_concat_params> parts_;
};

}  // namespace

std::unique_ptr<PreparedOp> MakeConcatOp(std::vector<mcunet_concat_params> parts) {
  return std::make_unique<Concatenation>(std::move(parts));
}

}  // namespace mcunet
