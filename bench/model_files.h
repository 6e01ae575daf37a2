// The models a benchmark measures: those given, or every models/*.tflite.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

// Run from the repository root, or give the models: without either, one clear
// error (exit 1) rather than an uncaught filesystem exception.
inline std::vector<std::string> ModelFiles(std::vector<std::string> given) {
  if (!given.empty()) return given;
  std::error_code error;
  if (!std::filesystem::is_directory("models", error)) {
    std::fprintf(stderr,
                 "error: no models given and no models/ folder here; run from the repository root "
                 "or name the .tflite files\n");
    std::exit(1);
  }
  for (const auto& e : std::filesystem::directory_iterator("models")) {
    if (e.path().extension() == ".tflite") given.push_back(e.path().string());
  }
  std::sort(given.begin(), given.end());
  return given;
}
