// libFuzzer target: any byte string through the reader and, when it parses,
// through op preparation and one invocation on a zeroed input. Must never crash,
// hang or trip a sanitizer; errors are fine.
#include <cstddef>
#include <cstdint>
#include <span>

#include "runtime/executor.h"
#include "tflite/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto graph = mcunet::ReadTfliteModel(std::span<const uint8_t>(data, size));
  if (!graph.ok()) return 0;
  // Keep each run cheap: skip invoking graphs whose arena would be large.
  int64_t activation_bytes = 0;
  for (const auto& t : graph->tensors) activation_bytes += t.is_constant ? 0 : t.Bytes();
  auto executor = mcunet::Executor::Create(std::move(graph).value());
  if (!executor.ok() || activation_bytes > (1 << 20)) return 0;
  // ... or much compute: a mutated shape can ask for billions of MACs in a small
  // arena, seconds per input under the sanitizers, for no new coverage.
  if ((*executor)->model().totals.macs > (int64_t{1} << 24)) return 0;
  (void)(*executor)->Invoke();
  return 0;
}
