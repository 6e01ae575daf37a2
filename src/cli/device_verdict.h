// What `stm32ai analyze` tells an engineer about a model against a chip: SRAM
// and Flash used against the device's, whether each fits and by how much, the
// model's MACs and I/O, and a latency estimate when instructions were counted.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "compiler/compile.h"
#include "compiler/model_stats.h"
#include "core/devices.h"

namespace mcunet::cli {

struct DeviceVerdictInput {
  int64_t sram_bytes = 0;   // what the model needs in SRAM
  std::string sram_what;    // what that figure counts, in words
  int64_t flash_bytes = 0;  // what it needs in Flash
  std::string flash_what;
  std::optional<int64_t> instructions;  // per inference on the device's core
  // How `instructions` was obtained, in words (counted under QEMU, or the cost model's estimate).
  std::string instructions_what = "counted";
};

// The figures `analyze` and `report` judge a model by before it is built: the
// planned arena, weights and tables plus the code estimate, and (for a core the
// cost model knows) its instruction estimate.
DeviceVerdictInput EstimatedVerdictInput(const ModelStats& stats, const DeviceProfile& device);

// One fit line per memory, MACs and I/O, and the latency at the device's clock
// (1 instruction per cycle: the count is an instruction count, not cycles).
void PrintDeviceVerdict(const DeviceProfile& device, const CompiledModel& model,
                        const DeviceVerdictInput& in);
nlohmann::json DeviceVerdictJson(const DeviceProfile& device, const CompiledModel& model,
                                 const DeviceVerdictInput& in);

// True when both memories fit.
bool Fits(const DeviceProfile& device, const DeviceVerdictInput& in);

}  // namespace mcunet::cli
