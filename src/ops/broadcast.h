// NumPy broadcasting of two inputs up to rank 4, as the binary elementwise
// kernels (ADD, MUL) read them: shapes right-aligned and left-padded with 1, and
// per-input strides over the output's coordinates that are 0 where the input
// repeats.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>

#include "core/status.h"
#include "ir/graph.h"
#include "ops/kernel_emit.h"
#include "ops/op.h"

namespace mcunet {

struct Broadcast4D {
  int32_t out_dims[4];
  int32_t in1_strides[4];
  int32_t in2_strides[4];
};

// Inputs 0 and 1 of `node`: rank at most 4, broadcastable, and output 0 of the
// broadcast shape.
Expected<Broadcast4D> BroadcastInputs(const Graph& g, const Node& node);

// In-place rule of a kernel that writes output element i (row-major) after
// reading element i of both inputs: an input read densely (not broadcast) may
// share its bytes with the output at offset 0; a repeated input may not.
int64_t BroadcastInPlaceOffset(const int32_t out_dims[4], const int32_t in_strides[4]);

// The C name of a kernel's element type, for the generated call's casts.
template <typename T>
constexpr const char* CElementType() {
  static_assert(std::is_same_v<T, int8_t> || std::is_same_v<T, int16_t>);
  return std::is_same_v<T, int16_t> ? "int16_t" : "int8_t";
}

// A prepared binary elementwise op (ADD, MUL, ...): one kernel over two
// broadcast inputs of element type T (int8, or int16 for ADD's 16-bit variant),
// whose parameters carry out_dims and the two inputs' strides. What differs
// between such ops is the kernel, its file and its struct printer.
template <typename Params, typename T = int8_t>
struct BinaryKernel {
  int (*run)(const Params*, const T*, const T*, T*);
  const char* name;  // the C function, e.g. "mcunet_add_s8"
  const char* file;  // its file in kernels/
  std::string (*print_params)(const std::string& prefix, const Params&);
};

template <typename Params, typename T = int8_t>
class BinaryBroadcastOp final : public PreparedOp {
 public:
  BinaryBroadcastOp(Params params, BinaryKernel<Params, T> kernel)
      : params_(params), kernel_(kernel) {}
  // Element by element with input and output elements of one size (see
  // BroadcastInPlaceOffset).
  int64_t InPlaceOffset(size_t input) const override {
    return BroadcastInPlaceOffset(params_.out_dims,
                                  input == 0 ? params_.in1_strides : params_.in2_strides);
  }
  EmittedCall Emit(const EmitNames& n) const override {
    const std::string type = CElementType<T>();
    return {kernel_.file, kernel_.print_params(n.prefix, params_),
            fmt::format("{}(&{}_params, {}, {}, {})", kernel_.name, n.prefix,
                        CArg("const " + type, n.inputs[0]), CArg("const " + type, n.inputs[1]),
                        CArg(type, n.outputs[0]))};
  }
  int Run(const OpBuffers& b) const override {
    return kernel_.run(&params_, static_cast<const T*>(b.inputs[0]),
                       static_cast<const T*>(b.inputs[1]), static_cast<T*>(b.outputs[0]));
  }

 private:
  Params params_;
  BinaryKernel<Params, T> kernel_;
};

}  // namespace mcunet
