// The models a benchmark measures: those given, or every models/*.tflite.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

inline std::vector<std::string> ModelFiles(std::vector<std::string> given) {
  if (!given.empty()) return given;
  for (const auto& e : std::filesystem::directory_iterator("models")) {
    if (e.path().extension() == ".tflite") given.push_back(e.path().string());
  }
  std::sort(given.begin(), given.end());
  return given;
}
