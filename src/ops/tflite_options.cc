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

tflite::ActivationFunctionType ActivationToTflite(Activation activation) {
  switch (activation) {
    case Activation::kRelu:
      return tflite::ActivationFunctionType::RELU;
    case Activation::kReluN1To1:
      return tflite::ActivationFunctionType::RELU_N1_TO_1;
    case Activation::kRelu6:
      return tflite::ActivationFunctionType::RELU6;
    case Activation::kNone:
      break;
  }
  return tflite::ActivationFunctionType::NONE;
}

Expected<tflite::Padding> PaddingToTflite(Padding padding) {
  switch (padding) {
    case Padding::kSame:
      return tflite::Padding::SAME;
    case Padding::kValid:
      return tflite::Padding::VALID;
    case Padding::kExplicit:
      break;
  }
  return Status::Error("explicit padding has no TFLite form (write SAME, VALID or a PAD)");
}

Status MissingOptions(const char* table) { return Status::Error(std::string("missing ") + table); }

}  // namespace mcunet
