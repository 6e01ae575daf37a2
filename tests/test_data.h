// Paths of the models and TFLM golden data shipped in the repository.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mcunet::testing {

std::string SourcePath(const std::string& relative);  // under the repository root
std::string ModelPath(const std::string& stem);       // models/<stem>.tflite
std::string GoldenDir(const std::string& stem);       // tests/golden/<stem>
std::vector<std::string> GoldenModels();              // every stem with golden data
nlohmann::json LoadManifest(const std::string& stem);
// The one-operator models of tests/golden_ops, the same way.
std::string OpsModelPath(const std::string& stem);  // tests/golden_ops/models/<stem>.tflite
std::string OpsGoldenDir(const std::string& stem);  // tests/golden_ops/golden/<stem>
std::vector<std::string> OpsGoldenModels();         // sorted stems with golden data
nlohmann::json OpsManifest(const std::string& stem);
std::vector<uint8_t> ReadBytes(const std::string& path);
// A text file whole; "" when it is missing (a log a failed command never wrote).
std::string ReadText(const std::string& path);
// A parameterised test's name for a model stem (gtest allows [A-Za-z0-9_] only).
std::string TestName(const std::string& stem);

}  // namespace mcunet::testing
