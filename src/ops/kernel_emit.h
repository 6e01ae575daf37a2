// C99 text for the kernels' parameter structs: what each op's Emit() writes into
// the generated project. Designated initialisers keep it readable and robust.
#pragma once

#include <string>
#include <vector>

#include "kernels/mcunet_kernels.h"

namespace mcunet {

// "static const int32_t NAME[] = {...};"
std::string CInt32Array(const std::string& name, const std::vector<int32_t>& values);

// "static const int8_t NAME[] = {...};"
std::string CInt8Array(const std::string& name, const std::vector<int8_t>& values);

// "(const int8_t *)(expr)": a typed kernel argument from an operand expression.
std::string CArg(const std::string& type, const std::string& expr);

// A float as an exact C literal (hex float, so the generated code rounds nothing).
std::string CFloat(float value);

// Builds "static const TYPE PREFIX_params = {.field = value, ...};" one field at
// a time (through MCUNET_C_PARAMS below).
class CStructWriter {
 public:
  CStructWriter(const char* type, std::string prefix);
  void Field(const char* field, int32_t value);
  void Field(const char* field, float value);
  void Array(const char* field, const int32_t* values, int count);
  // Points at the layer's constant table named PREFIX_FIELD, which the op emits
  // beside the struct (e.g. CInt32Array(prefix + "_multiplier", ...)).
  void Pointer(const char* field);
  std::string Text() const { return text_ + "};\n"; }

 private:
  void Add(const char* field, const std::string& value);
  std::string prefix_;
  std::string text_;
  size_t line_start_ = 0;
};

#define MCUNET_C_WRITE_FIELD(type, field) \
  mcunet_writer_.Field(#field, static_cast<type>(mcunet_params_.field));
#define MCUNET_C_WRITE_ARRAY(type, field, count) \
  mcunet_writer_.Array(#field, mcunet_params_.field, count);
#define MCUNET_C_WRITE_POINTER(type, field) mcunet_writer_.Pointer(#field);

// "static const TYPE PREFIX_params = {...};" for `params`, a TYPE declared in
// mcunet_kernels.h from the field list FIELDS (e.g. MCUNET_CONV_PARAMS_FIELDS).
// Expanding that same list here means every field the kernel's struct has is
// printed, in its order. POINTER fields print as PREFIX_<field>.
#define MCUNET_C_PARAMS(FIELDS, TYPE, prefix, params)                          \
  ([&](const TYPE& mcunet_params_) {                                           \
    ::mcunet::CStructWriter mcunet_writer_(#TYPE, (prefix));                   \
    FIELDS(MCUNET_C_WRITE_FIELD, MCUNET_C_WRITE_ARRAY, MCUNET_C_WRITE_POINTER) \
    return mcunet_writer_.Text();                                              \
  }(params))

}  // namespace mcunet
