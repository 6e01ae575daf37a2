#include "ops/concat_op.h"

#include <fmt/format.h>

#include "ops/kernel_emit.h"

namespace mcunet {
namespace {

// The name of `pointer` + `bytes` when `pointer` is an arena address as the
// code generator writes it, "(BASE + OFFSET)"; "" otherwise.
std::string Advanced(const std::string& pointer, int64_t bytes) {
  const size_t plus = pointer.rfind(" + ");
  if (pointer.size() < 2 || pointer.front() != '(' || pointer.back() != ')' ||
      plus == std::string::npos) {
    return "";
  }
  const std::string digits = pointer.substr(plus + 3, pointer.size() - plus - 4);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return "";
  return fmt::format("{} + {})", pointer.substr(0, plus), std::stoll(digits) + bytes);
}

class Concatenation final : public PreparedOp {
 public:
  explicit Concatenation(std::vector<mcunet_concat_params> parts) : parts_(std::move(parts)) {}
  // With a single chunk per input (concatenation along the outermost non-unit
  // axis), input 0 is the output's first bytes: it may already sit there.
  int64_t InPlaceOffset(size_t input) const override {
    return input == 0 && parts_[0].outer == 1 ? 0 : kNoInPlace;
  }
  // A single chunk is one contiguous slice of the output, which its producer
  // can write in place of the input (planner/views.h); several chunks are a
  // strided slice, which a producer writing rows that far apart can (the
  // planner checks that its rows are the chunks: the last axis).
  int64_t ViewOffset(size_t input) const override { return parts_[input].output_offset; }
  int64_t ViewStride(size_t input) const override {
    return parts_[input].outer == 1 ? 0 : parts_[input].output_stride;
  }
  int Run(const OpBuffers& b) const override {
    for (size_t i = 0; i < parts_.size(); ++i) {
      // Input i already at its slice is a view (or input 0 in place at offset 0,
      // where the copy would only move it onto itself); nothing else may sit there.
      if (b.inputs[i] == static_cast<const uint8_t*>(b.outputs[0]) + parts_[i].output_offset) {
        continue;
      }
      if (const int s = mcunet_concat(&parts_[i], b.inputs[i], b.outputs[0])) return s;
    }
    return 0;
  }
  // Only the inputs not planned as views are copied; with none, nothing runs.
  EmittedCall Emit(const EmitNames& n) const override {
    std::string definitions, call;
    for (size_t i = 0; i < parts_.size(); ++i) {
      if (n.inputs[i] == Advanced(n.outputs[0], parts_[i].output_offset)) continue;
      const std::string prefix = fmt::format("{}_{}", n.prefix, i);
      definitions +=
          MCUNET_C_PARAMS(MCUNET_CONCAT_PARAMS_FIELDS, mcunet_concat_params, prefix, parts_[i]);
      call += fmt::format("{}mcunet_concat(&{}_params, {}, {})", call.empty() ? "" : " | ", prefix,
                          CArg("const void", n.inputs[i]), CArg("void", n.outputs[0]));
    }
    if (call.empty()) return {"", "", "0 /* every input a view: nothing to copy */"};
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
