// Element types the engine knows, with the TFLite enum values they come from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mcunet {

enum class DataType : int8_t {
  kFloat32 = 0,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kInt16 = 7,
  kInt8 = 9,
  kUnknown = -1,
};

// Bytes per element; 0 for kUnknown.
size_t DataTypeSize(DataType type);
std::string_view DataTypeName(DataType type);
// Maps a TFLite TensorType value; kUnknown for types the engine does not handle.
DataType DataTypeFromTflite(int tflite_type);
std::string_view TfliteTypeName(int tflite_type);

}  // namespace mcunet
