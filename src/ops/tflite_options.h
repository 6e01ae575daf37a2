// What the op files' ParseTflite<Name> functions share: TFLite's option enums as
// our attribute types. Only op files that read builtin options include this
// (and with it the generated schema header).
#pragma once

#include "core/status.h"
#include "ir/graph.h"
#include "ops/op.h"
#include "tflite_subset_generated.h"

namespace mcunet {

// NONE, RELU, RELU_N1_TO_1 and RELU6; TANH and SIGN_BIT have no int8 clamp and
// are refused.
Status ActivationFromTflite(tflite::ActivationFunctionType type, Activation* activation);

Padding PaddingFromTflite(tflite::Padding padding);

// The inverses, for the writer. Explicit padding has no TFLite form: the writer
// turns it into SAME, VALID or a PAD operator first, so it is an error here.
tflite::ActivationFunctionType ActivationToTflite(Activation activation);
Expected<tflite::Padding> PaddingToTflite(Padding padding);

// A written options table as the registry returns it.
template <typename Table>
TfliteOptions Options(tflite::BuiltinOptions type, flatbuffers::Offset<Table> table) {
  return {static_cast<uint8_t>(type), table.o};
}
inline TfliteOptions NoOptions() { return {}; }

// The error for an operator whose required options table is absent, e.g.
// "missing Conv2DOptions".
Status MissingOptions(const char* table);

}  // namespace mcunet
