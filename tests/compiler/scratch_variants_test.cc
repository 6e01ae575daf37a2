// Compile's choice between the fast convolution kernels and their compact
// variants (PreparedOp::SetCompactScratch): speed costs at most the arena
// growth PlanOptions allows.
#include <gtest/gtest.h>

#include "compiler/compile.h"
#include "planner/memory_plan.h"
#include "runtime/load_model.h"
#include "test_data.h"

namespace mcunet::testing {
namespace {

class ScratchVariants : public ::testing::TestWithParam<std::string> {};

TEST_P(ScratchVariants, FastKernelsGrowTheArenaAtMostTheAllowance) {
  auto ex = LoadModel(ModelPath(GetParam()));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const CompiledModel& m = (*ex)->model();
  std::vector<const PreparedOp*> ops;
  for (const auto& op : m.ops) ops.push_back(op.get());
  // Every scratch buffer of the compiled plan is the size its op's variant asks.
  for (size_t s = 0; s < ops.size(); ++s) {
    const int r = m.memory.scratch_request[s];
    EXPECT_EQ(r < 0 ? 0 : m.memory.requests[r].size, ops[s]->ScratchBytes()) << "step " << s;
  }
  // The same ops, every one compact, planned from scratch: never smaller.
  for (const auto& op : m.ops) op->SetCompactScratch(true);
  auto compact = PlanMemory(m.graph, ops, PlanOptions{});
  ASSERT_TRUE(compact.ok()) << compact.status().message();
  const double allowance = PlanOptions{}.fast_kernel_arena_growth;
  EXPECT_LE(m.arena_bytes(), compact->arena_bytes() * (1 + allowance));
}

INSTANTIATE_TEST_SUITE_P(Models, ScratchVariants, ::testing::ValuesIn(GoldenModels()),
                         [](const auto& info) { return TestName(info.param); });

}  // namespace
}  // namespace mcunet::testing
