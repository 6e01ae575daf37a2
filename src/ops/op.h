// The operator contract. Each op file under src/ops/ defines, for one entry of
// op_list.def:
//   Status ParseTflite<Name>(const tflite::Operator&, Node*);
//     reads the operator's TFLite builtin options into node->attrs (the reader
//     has already set the node's kind, inputs and outputs); ops without options
//     define it as a one-line `return OkStatus();`;
//   Expected<TfliteOptions> WriteTflite<Name>(flatbuffers::FlatBufferBuilder&,
//                                             const Graph&, const Node&);
//     the inverse, for the TFLite writer: the options table TFLite's converter
//     writes for this operator (an empty table where the schema has one);
//   Expected<std::unique_ptr<PreparedOp>> Prepare<Name>(const Graph&, const Node&);
//     checks the node's tensors (types, ranks, shapes, quantisation) and
//     precomputes everything its kernel needs (TFLite's "Prepare");
//   int64_t Macs<Name>(const Graph&, const Node&);  multiply-accumulates per run.
// A PreparedOp only computes (TFLite's "Eval"), calling one kernel in kernels/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ir/graph.h"
#include "ops/in_place.h"

// The flatbuffer table of one operator (tflite_subset_generated.h) and the
// builder that writes one. Only the op files include the generated header.
namespace tflite {
struct Operator;
}  // namespace tflite
namespace flatbuffers {
class FlatBufferBuilder;
}  // namespace flatbuffers

namespace mcunet {

// What the code generator knows about one layer's operands.
struct EmitNames {
  std::string prefix;                // a C identifier unique to this layer, e.g. "model_l3"
  std::vector<std::string> inputs;   // C pointer expressions, node.inputs order ("NULL": omitted)
  std::vector<std::string> outputs;  // C pointer expressions
  std::string scratch = "NULL";
  // Output 0 as a strided view (WritesStridedOutput): bytes from one of its
  // rows (last axis) to the next; 0: dense.
  int64_t output_stride = 0;
};

// The generated C for one layer: the kernel file it needs, its constant
// parameters (static const, in Flash), and the call (an int expression: the
// kernel status).
struct EmittedCall {
  std::string kernel_file;  // file in kernels/, or "" when the call needs none
  std::string definitions;
  std::string call;
};

struct OpBuffers {
  std::vector<const void*> inputs;  // node.inputs order; nullptr for omitted optionals
  std::vector<void*> outputs;
  void* scratch = nullptr;  // ScratchBytes() bytes, 4-byte aligned
  int64_t output_stride = 0;  // as EmitNames::output_stride
};

class PreparedOp {
 public:
  virtual ~PreparedOp() = default;
  virtual int64_t ScratchBytes() const { return 0; }
  // An op whose fast kernel variant needs more scratch than its compact one
  // switches to the compact one (compact = true) or back, and returns true;
  // ops without such a choice return false. Compile keeps the fast variant
  // only where its scratch does not raise the arena.
  virtual bool SetCompactScratch(bool /*compact*/) { return false; }
  // Whether the fast variant may run with its output starting `distance` bytes
  // below the input it shares bytes with (the planner placed it by the compact
  // variant's InPlaceOffset); where not, Compile runs the compact one.
  virtual bool FastVariantAllows(int64_t /*distance*/) const { return true; }
  // Which variant of its kernel the op runs, when it has several with different
  // costs ("" for the only or the default one): the cost model keys on it.
  virtual std::string KernelVariant() const { return ""; }
  // Constants stored larger than the model's for a faster kernel on the DSP
  // cores (CompileOptions::flash_for_speed): what the op offers once the plan
  // has settled, given how many bytes below its input the plan starts its
  // output (as FastVariantAllows; nullopt where the two share no byte).
  struct WiderConstants {
    int64_t extra_bytes = 0;         // Flash added; 0: nothing to offer
    int64_t saved_instructions = 0;  // per inference on a Cortex-M7, estimated
    // Offers naming the same kernel are taken together or not at all: they run
    // a kernel of their own, which granting only some would link beside the
    // one the others run (more code).
    std::string all_or_none;
  };
  virtual WiderConstants OfferWiderConstants(std::optional<int64_t> /*distance*/) const {
    return {};
  }
  // Takes the offer (Compile, within CompileOptions::flash_limit) or not (the default).
  virtual void AllowWiderConstants(bool /*allow*/) {}
  // Flash the op's precomputed tables take (per-channel multipliers and shifts).
  virtual int64_t ParameterBytes() const { return 0; }
  // How many bytes below input `input` the output may start and share its bytes
  // (see in_place.h), or kNoInPlace. The planner uses it only when that input
  // dies at this op.
  virtual int64_t InPlaceOffset(size_t /*input*/) const { return kNoInPlace; }
  // Where input `input` may live as a view inside output 0 (planner/views.h):
  // its byte offset there, or -1. The op then skips the work for an input it
  // finds at that address.
  virtual int64_t ViewOffset(size_t /*input*/) const { return -1; }
  // For such a view that is every row (last axis) of the input placed
  // ViewStride bytes apart in the output (a concatenation along the last axis),
  // that stride; 0 for a contiguous slice.
  virtual int64_t ViewStride(size_t /*input*/) const { return 0; }
  // Whether the op can write output 0 with its rows (last axis) further apart
  // than their length (EmitNames::output_stride), as such a view needs.
  virtual bool WritesStridedOutput() const { return false; }
  // Constant input `input` as the op's kernel reads it on cores with the
  // ARMv7E-M SIMD instructions (MCUNET_SIMD32, kernels/mcunet_simd.h), where
  // that differs from the model's (another order, or channels negated; empty:
  // the model's everywhere). The generated
  // C stores these bytes (as many) for such cores and the model's for others,
  // chosen by the preprocessor; Emit tells the kernel, Run reads the model's.
  virtual std::vector<uint8_t> EmittedConstant(size_t /*input*/) const { return {}; }
  // Returns the kernel status (0 = MCUNET_OK).
  virtual int Run(const OpBuffers& buffers) const = 0;
  // The same computation as C source for the generated project.
  virtual EmittedCall Emit(const EmitNames& names) const = 0;
};

// A node's TFLite builtin options as its op file wrote them: the BuiltinOptions
// union member and the table's offset in the builder (both 0: no options).
struct TfliteOptions {
  uint8_t type = 0;
  uint32_t offset = 0;
};

struct OpDefinition {
  OpKind kind;
  const char* name;
  // Errors name what is wrong, not where: the reader prefixes "operator 3 (CONV_2D): ".
  Status (*parse_tflite)(const tflite::Operator&, Node*);
  // The inverse, for the TFLite writer (attributes in TFLite's terms: no explicit padding).
  Expected<TfliteOptions> (*write_tflite)(flatbuffers::FlatBufferBuilder&, const Graph&,
                                          const Node&);
  Expected<std::unique_ptr<PreparedOp>> (*prepare)(const Graph&, const Node&);
  int64_t (*macs)(const Graph&, const Node&);
};

const OpDefinition& GetOpDefinition(OpKind kind);
// The node's operator prepared, after the checks every operator shares (int16
// zero points): what Compile and FoldConstants call.
Expected<std::unique_ptr<PreparedOp>> PrepareNode(const Graph& g, const Node& node);

}  // namespace mcunet
