// Inference runs inside the one arena: after Create, Invoke performs no heap
// allocation at all. Counted by replacing the global allocation functions in
// this test binary.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "runtime/load_model.h"
#include "test_data.h"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace mcunet {
namespace {

TEST(Executor, InvokeMakesNoHeapAllocation) {
  for (const auto& stem : testing::GoldenModels()) {
    auto ex = LoadModel(testing::ModelPath(stem));
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    const long before = g_allocations.load();
    const Status s = (*ex)->Invoke();
    const long after = g_allocations.load();
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(after - before, 0) << stem;
  }
}

TEST(Executor, AllocationCounterSeesAllocations) {
  const long before = g_allocations.load();
  auto* v = new std::vector<int>(10);
  delete v;
  EXPECT_GE(g_allocations.load() - before, 2);  // the vector and its buffer
}

TEST(Executor, SetInputRefusesWrongSizeAndIndex) {
  auto ex = LoadModel(testing::ModelPath("tflm_hello_world_int8"));
  ASSERT_TRUE(ex.ok());
  std::vector<uint8_t> two(2);
  EXPECT_NE((*ex)->SetInput(0, two).message().find("needs 1 bytes"), std::string::npos);
  EXPECT_NE((*ex)->SetInput(3, two).message().find("the model has 1 inputs"), std::string::npos);
}

}  // namespace
}  // namespace mcunet
