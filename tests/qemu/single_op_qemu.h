// A one-operator graph's generated C run on QEMU's Cortex-M7 against the host
// runtime: the check the kernel grids make of a DSP path.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "codegen/c_project.h"
#include "codegen/target_run.h"
#include "kernels/single_op.h"

namespace mcunet::testing {

// Output 0 of `g` from its generated C on the Cortex-M7 (the inputs
// concatenated) equals the host runtime's; `name` names the temporary project.
inline void ExpectCortexM7EqualsHost(const SingleOpGraph& g,
                                     const std::vector<std::vector<uint8_t>>& inputs,
                                     const std::string& name) {
  const auto expected = g.Run(inputs);
  auto ex = g.Build();
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  auto files = GenerateCProject((*ex)->model(), CodegenOptions{});
  ASSERT_TRUE(files.ok()) << files.status().message();
  const auto dir = std::filesystem::temp_directory_path() / ("mcunet_" + name);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(WriteProject(dir.string(), *files).ok());
  std::vector<uint8_t> input;
  for (const auto& in : inputs) input.insert(input.end(), in.begin(), in.end());
  auto run = RunOnQemu(dir.string(), "model", "cortex-m7", input, "");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->output, expected);
  std::filesystem::remove_all(dir);
}

}  // namespace mcunet::testing
