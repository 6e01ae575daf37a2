// What the op files' ParseTflite<Name> functions share: TFLite's option enums as
// our attribute types. Only op files that read builtin options include this
// (and with it the generated schema header).
#pragma once

#include "core/status.h"
#include "ir/graph.h"
#include "tflite_subset_generated.h"

namespace mcunet {

// NONE, RELU, RELU_N1_TO_1 and RELU6; TANH and SIGN_BIT have no int8 clamp and
// are refused.
Status ActivationFromTflite(tflite::ActivationFunctionType type, Activation* activation);

Padding PaddingFromTflite(tflite::Padding padding);

// The error for an operator whose required options table is absent, e.g.
// "missing Conv2DOptions".
Status MissingOptions(const char* table);

}  // namespace mcunet
