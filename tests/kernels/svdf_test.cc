// SVDF int8 against an independent reference that carries its own state: a
// grid of ranks, memory sizes, batches, zero points and both fused activations,
// several invocations in a row on one executor (the state carries over), then
// Reset, which must give the first output again. Also the refusals and Emit.
#include <gtest/gtest.h>

#include <deque>
#include <random>

#include "kernels/reference_math.h"
#include "kernels/single_op.h"

namespace mcunet {
namespace {

using testing::AsBytes;
using testing::Clamp;
using testing::RandomInt8;
using testing::RefQuantizeMultiplier;
using testing::RefRequantize;
using testing::SingleOpGraph;

struct SvdfCase {
  int batches, input_size, units, rank, memory;
  int32_t input_zp, output_zp;
  Activation activation;
  float input_scale, feature_scale, state_scale, time_scale, output_scale;
};

// The operator from its definition: each filter keeps a queue of its last
// `memory` activations (oldest first, zeros at the start), each activation the
// input's dot product with the filter's feature weights in the state's scale
// (int16, saturated); each unit is its bias plus the time-weighted sums of its
// `rank` filters' queues, in the output's scale. TF Lite Micro sums in int32,
// wrapping on overflow, and clamps the int8 output to the int8 range only,
// whatever the fused activation: the reference does the same.
class ReferenceSvdf {
 public:
  ReferenceSvdf(const SvdfCase& c, std::vector<int8_t> feature, std::vector<int16_t> time,
                std::vector<int32_t> bias)
      : c_(c), feature_(std::move(feature)), time_(std::move(time)), bias_(std::move(bias)) {
    // TFLM forms both scale ratios in float before widening them.
    RefQuantizeMultiplier(static_cast<double>(c.input_scale * c.feature_scale / c.state_scale),
                          &m1_, &s1_);
    RefQuantizeMultiplier(static_cast<double>(c.state_scale * c.time_scale / c.output_scale), &m2_,
                          &s2_);
    Reset();
  }
  void Reset() {
    queues_.assign(static_cast<size_t>(c_.batches * c_.units * c_.rank),
                   std::deque<int64_t>(c_.memory, 0));
  }
  std::vector<int8_t> Step(const std::vector<int8_t>& x) {
    const int filters = c_.units * c_.rank;
    std::vector<int8_t> out;
    for (int b = 0; b < c_.batches; ++b) {
      for (int u = 0; u < c_.units; ++u) {
        int64_t sum = bias_.empty() ? 0 : bias_[u];
        for (int r = 0; r < c_.rank; ++r) {
          const int f = u * c_.rank + r;
          int64_t dot = 0;
          for (int i = 0; i < c_.input_size; ++i) {
            dot += int64_t{feature_[f * c_.input_size + i]} *
                   (x[b * c_.input_size + i] - int64_t{c_.input_zp});
          }
          auto& q = queues_[b * filters + f];
          q.pop_front();
          q.push_back(Clamp(RefRequantize(static_cast<int32_t>(dot), m1_, s1_), -32768, 32767));
          for (int j = 0; j < c_.memory; ++j) sum += int64_t{time_[f * c_.memory + j]} * q[j];
        }
        const auto wrapped = static_cast<int32_t>(static_cast<uint32_t>(sum));
        out.push_back(
            static_cast<int8_t>(Clamp(RefRequantize(wrapped, m2_, s2_) + c_.output_zp, -128, 127)));
      }
    }
    return out;
  }

 private:
  SvdfCase c_;
  std::vector<int8_t> feature_;
  std::vector<int16_t> time_;
  std::vector<int32_t> bias_;
  int32_t m1_ = 0, m2_ = 0;
  int s1_ = 0, s2_ = 0;
  std::vector<std::deque<int64_t>> queues_;
};

struct SvdfModel {
  SingleOpGraph graph;
  std::vector<int8_t> feature;
  std::vector<int16_t> time;
  std::vector<int32_t> bias;
};

SvdfModel MakeSvdf(const SvdfCase& c, std::mt19937& rng, bool with_bias = true,
                   int16_t time_range = 3000) {
  SvdfModel m;
  const int filters = c.units * c.rank;
  m.feature = RandomInt8(rng, static_cast<size_t>(filters * c.input_size), -127, 127);
  std::uniform_int_distribution<int> t(-time_range, time_range);
  for (int i = 0; i < filters * c.memory; ++i) m.time.push_back(static_cast<int16_t>(t(rng)));
  std::uniform_int_distribution<int32_t> bd(-200000, 200000);
  if (with_bias) {
    for (int u = 0; u < c.units; ++u) m.bias.push_back(bd(rng));
  }
  SingleOpGraph& g = m.graph;
  const int in =
      g.AddTensor(DataType::kInt8, {c.batches, c.input_size}, {c.input_scale}, {c.input_zp});
  const int wf =
      g.AddConstant(DataType::kInt8, {filters, c.input_size}, m.feature, {c.feature_scale}, {0});
  const int wt = g.AddConstant(DataType::kInt16, {filters, c.memory}, m.time, {c.time_scale}, {0});
  const int bias = with_bias ? g.AddConstant(DataType::kInt32, {c.units}, m.bias,
                                             {c.state_scale * c.time_scale}, {0})
                             : -1;
  const int state =
      g.AddVariable(DataType::kInt16, {c.batches, filters * c.memory}, {c.state_scale}, {0});
  const int out =
      g.AddTensor(DataType::kInt8, {c.batches, c.units}, {c.output_scale}, {c.output_zp});
  SvdfAttrs attrs;
  attrs.rank = c.rank;
  attrs.activation = c.activation;
  g.SetNode(OpKind::kSvdf, {in, wf, wt, bias, state}, {out}, attrs);
  return m;
}

// Runs `steps` invocations on one executor against the reference, then Reset
// and the first input again. Returns how many outputs were compared.
int CheckSequence(const SvdfCase& c, std::mt19937& rng, bool with_bias = true,
                  int16_t time_range = 3000, int steps = 4) {
  SvdfModel m = MakeSvdf(c, rng, with_bias, time_range);
  ReferenceSvdf ref(c, m.feature, m.time, m.bias);
  auto ex = m.graph.Build();
  EXPECT_TRUE(ex.ok()) << ex.status().message();
  if (!ex.ok()) return 0;
  std::vector<std::vector<int8_t>> inputs;
  std::vector<uint8_t> first;
  for (int s = 0; s < steps; ++s) {
    inputs.push_back(RandomInt8(rng, static_cast<size_t>(c.batches * c.input_size)));
    EXPECT_TRUE((*ex)->SetInput(0, AsBytes(inputs.back())).ok());
    EXPECT_TRUE((*ex)->Invoke().ok());
    const auto got = (*ex)->Output(0);
    const std::vector<uint8_t> out(got.begin(), got.end());
    EXPECT_EQ(out, AsBytes(ref.Step(inputs.back()))) << "invocation " << s;
    if (s == 0) first = out;
  }
  (*ex)->Reset();
  EXPECT_TRUE((*ex)->SetInput(0, AsBytes(inputs[0])).ok());
  EXPECT_TRUE((*ex)->Invoke().ok());
  const auto again = (*ex)->Output(0);
  EXPECT_EQ(std::vector<uint8_t>(again.begin(), again.end()), first) << "after Reset";
  return steps;
}

TEST(Svdf, GridMatchesTheReferenceAcrossInvocations) {
  std::mt19937 rng(27);
  int compared = 0;
  for (int rank : {1, 2, 3}) {
    for (int memory : {1, 2, 5}) {
      for (int batches : {1, 3}) {
        for (int32_t input_zp : {-128, 0, 37}) {
          for (int32_t output_zp : {-128, 5}) {
            for (Activation act : {Activation::kNone, Activation::kRelu}) {
              SCOPED_TRACE(::testing::Message()
                           << "rank " << rank << " memory " << memory << " batches " << batches
                           << " zp " << input_zp << "/" << output_zp << " relu "
                           << (act == Activation::kRelu));
              // The feature rescale ranges from strong reduction to a gain
              // above 1 (a left shift) that saturates the int16 state.
              const float state_scale = (rank + memory) % 3 == 0 ? 0.0002f : 0.004f;
              const SvdfCase c{batches,
                               7,
                               3,
                               rank,
                               memory,
                               input_zp,
                               output_zp,
                               act,
                               0.05f,
                               0.004f,
                               state_scale,
                               3e-5f,
                               state_scale * 3e-5f * 900.0f};
              compared += CheckSequence(c, rng);
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 3 * 3 * 2 * 3 * 2 * 2 * 4);
}

TEST(Svdf, WithoutBiasAndWithWrappingTimeSums) {
  std::mt19937 rng(28);
  const SvdfCase c{2, 9, 4, 2, 6, -3, 0, Activation::kNone, 0.05f, 0.01f, 0.0005f, 1e-4f, 0.05f};
  CheckSequence(c, rng, /*with_bias=*/false);
  // Full-range time weights on a saturated state: the int32 sums wrap, as TFLM's do.
  const SvdfCase big{1, 16, 2, 3, 8, 0, 0, Activation::kNone, 0.1f, 0.02f, 1e-5f, 1e-4f, 0.5f};
  CheckSequence(big, rng, true, 32767, 6);
}

TEST(Svdf, InvocationsChangeTheOutputUntilReset) {
  std::mt19937 rng(29);
  const SvdfCase c{1, 5, 3, 1, 4, 0, 0, Activation::kNone, 0.05f, 0.004f, 0.004f, 3e-5f, 0.1f};
  SvdfModel m = MakeSvdf(c, rng);
  auto ex = m.graph.Build();
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const std::vector<int8_t> x = {100, -90, 80, -70, 60};
  std::vector<std::vector<uint8_t>> outs;
  for (int s = 0; s < 3; ++s) {
    ASSERT_TRUE((*ex)->SetInput(0, AsBytes(x)).ok());
    ASSERT_TRUE((*ex)->Invoke().ok());
    outs.emplace_back((*ex)->Output(0).begin(), (*ex)->Output(0).end());
  }
  // The same input gives other outputs as the queue fills: the state is kept.
  EXPECT_NE(outs[0], outs[1]);
  EXPECT_NE(outs[1], outs[2]);
  (*ex)->Reset();
  ASSERT_TRUE((*ex)->SetInput(0, AsBytes(x)).ok());
  ASSERT_TRUE((*ex)->Invoke().ok());
  EXPECT_EQ(std::vector<uint8_t>((*ex)->Output(0).begin(), (*ex)->Output(0).end()), outs[0]);
}

// The state sits at the start of the arena, below every other buffer, and
// nothing else is ever placed over it.
TEST(Svdf, StateLivesInTheArenasPersistentPart) {
  std::mt19937 rng(30);
  const SvdfCase c{2, 5, 4, 2, 3, 0, 0, Activation::kNone, 0.05f, 0.004f, 0.004f, 3e-5f, 0.1f};
  SvdfModel m = MakeSvdf(c, rng);
  auto ex = m.graph.Build();
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  const MemoryPlan& mp = (*ex)->memory_plan();
  const int state = m.graph.graph().nodes[0].inputs[4];
  EXPECT_EQ((*ex)->model().TensorOffset(state), 0);
  EXPECT_EQ(mp.state_bytes, 2 * 24 * 2 + 0);  // 96 bytes: already a multiple of 16
  for (size_t r = 0; r < mp.requests.size(); ++r) {
    if (static_cast<int>(r) == mp.request_of_tensor[state]) {
      EXPECT_TRUE(mp.requests[r].persistent);
      continue;
    }
    EXPECT_GE(mp.plan.offsets[r], mp.state_bytes) << "request " << r;
    EXPECT_GE(mp.baseline.offsets[r], mp.state_bytes) << "request " << r;
  }
  EXPECT_EQ(FindOverlap(mp.requests, mp.plan), "");
}

// Two operators may not share one state: their order would decide its value.
TEST(Svdf, StateSharedByTwoOperatorsIsRefused) {
  std::mt19937 rng(32);
  const SvdfCase c{1, 5, 3, 1, 4, 0, 0, Activation::kNone, 0.05f, 0.004f, 0.004f, 3e-5f, 0.1f};
  SvdfModel m = MakeSvdf(c, rng);
  Graph g = m.graph.graph();
  Node second = g.nodes[0];
  second.index = 1;
  Tensor out = g.tensors[second.outputs[0]];
  out.name = "second";
  g.tensors.push_back(out);
  second.outputs = {static_cast<int>(g.tensors.size() - 1)};
  g.nodes.push_back(second);
  g.outputs.push_back(second.outputs[0]);
  auto ex = Executor::Create(g);
  ASSERT_FALSE(ex.ok());
  EXPECT_NE(ex.status().message().find("operator 1 (SVDF): variable tensor 4 't4' (state) is also "
                                       "read by operator 0 (SVDF)"),
            std::string::npos)
      << ex.status().message();
}

std::string PrepareError(const SingleOpGraph& g) {
  const Node& node = g.graph().nodes[0];
  auto op = GetOpDefinition(node.kind).prepare(g.graph(), node);
  return op.ok() ? "" : op.status().message();
}

TEST(Svdf, RefusalsNameTheOperatorAndWhatIsWrong) {
  const auto build = [](DataType time_type, bool variable, int rank, float bias_scale) {
    SingleOpGraph g;
    const int in = g.AddTensor(DataType::kInt8, {1, 3}, {0.05f}, {0});
    const int wf = g.AddConstant(DataType::kInt8, {4, 3}, std::vector<int8_t>(12, 1), {0.01f}, {0});
    const int wt =
        time_type == DataType::kInt16
            ? g.AddConstant(DataType::kInt16, {4, 2}, std::vector<int16_t>(8, 1), {0.001f}, {0})
            : g.AddConstant(DataType::kInt8, {4, 2}, std::vector<int8_t>(8, 1), {0.001f}, {0});
    const int bias = g.AddConstant(DataType::kInt32, {4 / rank}, std::vector<int32_t>(4 / rank, 0),
                                   {bias_scale}, {0});
    const int state = variable ? g.AddVariable(DataType::kInt16, {1, 8}, {0.01f}, {0})
                               : g.AddTensor(DataType::kInt16, {1, 8}, {0.01f}, {0});
    const int out = g.AddTensor(DataType::kInt8, {1, 4 / rank}, {0.1f}, {0});
    SvdfAttrs a;
    a.rank = rank;
    g.SetNode(OpKind::kSvdf, {in, wf, wt, bias, state}, {out}, a);
    return g;
  };
  EXPECT_EQ(PrepareError(build(DataType::kInt16, true, 1, 1e-5f)), "");
  std::string e = PrepareError(build(DataType::kInt16, false, 1, 1e-5f));
  EXPECT_NE(e.find("operator 0 (SVDF): activation_state (tensor 4 't4') is not a variable tensor"),
            std::string::npos)
      << e;
  e = PrepareError(build(DataType::kInt8, true, 1, 1e-5f));
  EXPECT_NE(e.find("operator 0 (SVDF): weights_time (tensor 2 't2') is int8; only int16"),
            std::string::npos)
      << e;
  e = PrepareError(build(DataType::kInt16, true, 3, 1e-5f));
  EXPECT_NE(e.find("operator 0 (SVDF): rank 3 does not divide the 4 filters"), std::string::npos)
      << e;
  e = PrepareError(build(DataType::kInt16, true, 1, 0.5f));
  EXPECT_NE(e.find("operator 0 (SVDF): bias (tensor 3 't3') scale 0.5 is not"), std::string::npos)
      << e;
}

TEST(Svdf, EmitPassesTheStateAsAWritableArenaPointer) {
  std::mt19937 rng(31);
  const SvdfCase c{1, 5, 3, 1, 4, 0, 0, Activation::kNone, 0.05f, 0.004f, 0.004f, 3e-5f, 0.1f};
  SvdfModel m = MakeSvdf(c, rng);
  const Node& node = m.graph.graph().nodes[0];
  auto op = GetOpDefinition(node.kind).prepare(m.graph.graph(), node);
  ASSERT_TRUE(op.ok()) << op.status().message();
  EmitNames n;
  n.prefix = "m_l0";
  n.inputs = {"(m_arena + 64)", "m_t1", "m_t2", "m_t3", "(m_arena + 0)"};
  n.outputs = {"(m_arena + 80)"};
  const EmittedCall call = (*op)->Emit(n);
  EXPECT_EQ(call.kernel_file, "svdf_s8.c");
  EXPECT_EQ(call.call,
            "mcunet_svdf_s8(&m_l0_params, (const int8_t *)((m_arena + 64)), (const int8_t "
            "*)(m_t1), (const int16_t *)(m_t2), (const int32_t *)(m_t3), (int16_t *)((m_arena + "
            "0)), (int8_t *)((m_arena + 80)))");
  EXPECT_NE(call.definitions.find(".rank = 1"), std::string::npos) << call.definitions;
  EXPECT_NE(call.definitions.find(".memory = 4"), std::string::npos) << call.definitions;
}

}  // namespace
}  // namespace mcunet
