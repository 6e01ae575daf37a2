#include "test_data.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace mcunet::testing {

std::string SourcePath(const std::string& relative) {
  return std::string(MCUNET_SOURCE_DIR) + "/" + relative;
}
std::string ModelPath(const std::string& stem) { return SourcePath("models/" + stem + ".tflite"); }
std::string GoldenDir(const std::string& stem) { return SourcePath("tests/golden/" + stem); }

std::vector<std::string> GoldenModels() {
  std::vector<std::string> stems;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("tests/golden"))) {
    if (std::filesystem::exists(entry.path() / "manifest.json")) {
      stems.push_back(entry.path().filename().string());
    }
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

nlohmann::json LoadManifest(const std::string& stem) {
  std::ifstream f(GoldenDir(stem) + "/manifest.json");
  if (!f) throw std::runtime_error("missing manifest for " + stem);
  return nlohmann::json::parse(f);
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string TestName(const std::string& stem) {
  std::string name = stem;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

std::string OpsModelPath(const std::string& stem) {
  return SourcePath("tests/golden_ops/models/" + stem + ".tflite");
}
std::string OpsGoldenDir(const std::string& stem) {
  return SourcePath("tests/golden_ops/golden/" + stem);
}

// Stems with golden data, sorted.
std::vector<std::string> OpsGoldenModels() {
  std::vector<std::string> stems;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourcePath("tests/golden_ops/golden"))) {
    if (std::filesystem::exists(entry.path() / "manifest.json")) {
      stems.push_back(entry.path().filename().string());
    }
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

nlohmann::json OpsManifest(const std::string& stem) {
  std::ifstream f(OpsGoldenDir(stem) + "/manifest.json");
  if (!f) throw std::runtime_error("missing manifest for " + stem);
  return nlohmann::json::parse(f);
}

}  // namespace mcunet::testing
