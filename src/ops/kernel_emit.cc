#include "ops/kernel_emit.h"

#include <fmt/format.h>

#include <cstdio>

namespace mcunet {

std::string CArg(const std::string& type, const std::string& expr) {
  return expr == "NULL" ? "NULL" : fmt::format("({} *)({})", type, expr);
}

std::string CFloat(float value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%af", static_cast<double>(value));
  return buf;
}

std::string CInt32Array(const std::string& name, const std::vector<int32_t>& values) {
  std::string s = fmt::format("static const int32_t {}[{}] = {{", name, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    s += fmt::format("{}{}", i % 12 == 0 ? "\n  " : " ", values[i]);
    if (i + 1 < values.size()) s += ",";
  }
  return s + "};\n";
}

std::string CInt8Array(const std::string& name, const std::vector<int8_t>& values) {
  std::string s = fmt::format("static const int8_t {}[{}] = {{", name, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    s += fmt::format("{}{}", i % 16 == 0 ? "\n  " : " ", int{values[i]});
    if (i + 1 < values.size()) s += ",";
  }
  return s + "};\n";
}

CStructWriter::CStructWriter(const char* type, std::string prefix) : prefix_(std::move(prefix)) {
  text_ = fmt::format("static const {} {}_params = {{", type, prefix_);
}

void CStructWriter::Field(const char* field, int32_t value) { Add(field, std::to_string(value)); }

void CStructWriter::Field(const char* field, float value) { Add(field, CFloat(value)); }

void CStructWriter::Array(const char* field, const int32_t* values, int count) {
  std::string s = "{";
  for (int i = 0; i < count; ++i) s += fmt::format("{}{}", i ? ", " : "", values[i]);
  Add(field, s + "}");
}

void CStructWriter::Pointer(const char* field) { Add(field, prefix_ + "_" + field); }

// Fields go on indented lines of at most about 96 columns.
void CStructWriter::Add(const char* field, const std::string& value) {
  const std::string item = fmt::format(".{} = {}", field, value);
  const bool first = text_.back() == '{';
  if (first || text_.size() - line_start_ + item.size() + 2 > 96) {
    if (!first) text_ += ",";
    line_start_ = text_.size() + 1;
    text_ += "\n  " + item;
  } else {
    text_ += ", " + item;
  }
}

}  // namespace mcunet
