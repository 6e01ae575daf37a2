#include "ops/tflite_options.h"

namespace mcunet {

Status ActivationFromTflite(tflite::ActivationFunctionType type, Activation* activation) {
  switch (type) {
    case tflite::ActivationFunctionType::NONE:
      *activation = Activation::kNone;
      return OkStatus();
    case tflite::ActivationFunctionType::RELU:
      *activation = Activation::kRelu;
      return OkStatus();
    case tflite::ActivationFunctionType::RELU_N1_TO_1:
      *activation = Activation::kReluN1To1;
      return OkStatus();
    case tflite::ActivationFunctionType::RELU6:
      *activation = Activation::kRelu6;
      return OkStatus();
    default:
      return Status::Error("fused activation TANH/SIGN_BIT is not supported");
  }
}

Padding PaddingFromTflite(tflite::Padding padding) {
  return padding == tflite::Padding::VALID ? Padding::kValid : Padding::kSame;
}

Status MissingOptions(const char* table) { return Status::Error(std::string("missing ") + table); }

}  // namespace mcunet
