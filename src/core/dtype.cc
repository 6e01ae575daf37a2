#include "core/dtype.h"

namespace mcunet {

size_t DataTypeSize(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return 4;
    case DataType::kInt32:
      return 4;
    case DataType::kUInt8:
      return 1;
    case DataType::kInt64:
      return 8;
    case DataType::kInt16:
      return 2;
    case DataType::kInt8:
      return 1;
    case DataType::kUnknown:
      return 0;
  }
  return 0;
}

std::string_view DataTypeName(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return "float32";
    case DataType::kInt32:
      return "int32";
    case DataType::kUInt8:
      return "uint8";
    case DataType::kInt64:
      return "int64";
    case DataType::kInt16:
      return "int16";
    case DataType::kInt8:
      return "int8";
    case DataType::kUnknown:
      return "unknown";
  }
  return "unknown";
}

DataType DataTypeFromTflite(int tflite_type) {
  switch (tflite_type) {
    case 0:
      return DataType::kFloat32;
    case 2:
      return DataType::kInt32;
    case 3:
      return DataType::kUInt8;
    case 4:
      return DataType::kInt64;
    case 7:
      return DataType::kInt16;
    case 9:
      return DataType::kInt8;
    default:
      return DataType::kUnknown;
  }
}

std::string_view TfliteTypeName(int tflite_type) {
  static constexpr std::string_view kNames[] = {
      "FLOAT32", "FLOAT16",   "INT32",  "UINT8",   "INT64",      "STRING", "BOOL",
      "INT16",   "COMPLEX64", "INT8",   "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE",
      "VARIANT", "UINT32",    "UINT16", "INT4",    "BFLOAT16"};
  if (tflite_type < 0 || tflite_type >= static_cast<int>(std::size(kNames))) return "UNKNOWN";
  return kNames[tflite_type];
}

}  // namespace mcunet
