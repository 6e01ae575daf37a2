// UNIDIRECTIONAL_SEQUENCE_LSTM beyond its TF Lite Micro goldens (tests/golden_ops,
// one invocation from the initial state each): the state carried between
// invocations, the time-major layout, the sigmoid table's own properties, the
// refusals, and a real model (TF Lite Micro's MNIST LSTM example).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "ops/sigmoid_table.h"
#include "runtime/executor.h"
#include "runtime/load_model.h"
#include "test_data.h"
#include "tflite/reader.h"

namespace mcunet {
namespace {

std::vector<uint8_t> RandomBytes(std::mt19937& rng, size_t n) {
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

Graph GoldenLstm(const std::string& stem) {
  auto g = ReadTfliteFile(testing::OpsModelPath(stem));
  EXPECT_TRUE(g.ok()) << g.status().message();
  return *std::move(g);
}

std::vector<uint8_t> Invoke(Executor& ex, const std::vector<uint8_t>& input) {
  EXPECT_TRUE(ex.SetInput(0, input).ok());
  const Status s = ex.Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  const auto out = ex.Output(0);
  return {out.begin(), out.end()};
}

// The same LSTM over `steps` time steps instead of the file's.
Graph WithSteps(Graph g, int32_t steps) {
  g.tensors[g.nodes[0].inputs[0]].shape[1] = steps;
  g.tensors[g.nodes[0].outputs[0]].shape[1] = steps;
  return g;
}

// Two invocations of T steps with the state kept equal one invocation of 2T
// steps (batch 1, so each invocation's input is one contiguous run of steps);
// Reset starts over.
TEST(Lstm, StateCarriesOverBetweenInvocationsAndResetStartsOver) {
  std::mt19937 rng(44);
  const Graph g = GoldenLstm("unidirectional_sequence_lstm_b1_t3");
  const size_t in_step = 5, out_step = 4, steps = 3;
  auto short_ex = Executor::Create(g);
  auto long_ex = Executor::Create(WithSteps(g, 2 * steps));
  ASSERT_TRUE(short_ex.ok() && long_ex.ok());
  for (int trial = 0; trial < 5; ++trial) {
    const auto whole = RandomBytes(rng, 2 * steps * in_step);
    (*short_ex)->Reset();
    (*long_ex)->Reset();
    const auto expected = Invoke(**long_ex, whole);
    const std::vector<uint8_t> first(whole.begin(), whole.begin() + steps * in_step);
    const std::vector<uint8_t> second(whole.begin() + steps * in_step, whole.end());
    auto got = Invoke(**short_ex, first);
    const auto rest = Invoke(**short_ex, second);
    got.insert(got.end(), rest.begin(), rest.end());
    ASSERT_EQ(got.size(), 2 * steps * out_step);
    EXPECT_EQ(got, expected) << "trial " << trial;
    (*short_ex)->Reset();
    EXPECT_EQ(Invoke(**short_ex, first),
              std::vector<uint8_t>(expected.begin(), expected.begin() + steps * out_step));
  }
}

// time_major = true reads [time][batch][features]: the batch-major model on the
// transposed input, its output transposed back.
TEST(Lstm, TimeMajorMatchesBatchMajorTransposed) {
  std::mt19937 rng(45);
  const Graph batch_major = GoldenLstm("unidirectional_sequence_lstm_b2_t5");
  Graph time_major = batch_major;
  std::get<LstmAttrs>(time_major.nodes[0].attrs).time_major = true;
  auto& in_shape = time_major.tensors[time_major.nodes[0].inputs[0]].shape;
  auto& out_shape = time_major.tensors[time_major.nodes[0].outputs[0]].shape;
  std::swap(in_shape[0], in_shape[1]);
  std::swap(out_shape[0], out_shape[1]);
  auto a = Executor::Create(batch_major);
  auto b = Executor::Create(time_major);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  const size_t batches = 2, steps = 5, features = 7, units = 6;
  const auto transpose = [&](const std::vector<uint8_t>& v, size_t rows, size_t cols, size_t n) {
    std::vector<uint8_t> t(v.size());
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < cols; ++c) {
        std::copy_n(v.begin() + (r * cols + c) * n, n, t.begin() + (c * rows + r) * n);
      }
    }
    return t;
  };
  for (int trial = 0; trial < 5; ++trial) {
    const auto x = RandomBytes(rng, batches * steps * features);
    const auto expected = Invoke(**a, x);
    const auto got = Invoke(**b, transpose(x, batches, steps, features));
    EXPECT_EQ(transpose(got, steps, batches, units), expected) << "trial " << trial;
  }
}

// The table is sigmoid(k / 24) in 0.16 fixed point, read with linear
// interpolation: increasing from one half to one, and between entries within
// 1.15 units (1/65536) of the curve; entries rounded from the curve alone would
// be 1.62 units off (the chords sag below it).
TEST(Lstm, SigmoidTableInterpolatesTheSigmoidWithinOneUnit) {
  const auto& t = SigmoidTable();
  EXPECT_EQ(t[0], 32768);
  EXPECT_EQ(t[255], 65535);
  double worst = 0;
  for (int k = 0; k + 1 < 255; ++k) {
    EXPECT_LE(t[k], t[k + 1]) << k;
    for (int step = 0; step <= 16; ++step) {
      const double x = (k + step / 16.0) / 24.0;
      const double interpolated = t[k] + (t[k + 1] - t[k]) * step / 16.0;
      worst = std::max(worst, std::abs(interpolated - 65536.0 / (1.0 + std::exp(-x))));
    }
  }
  EXPECT_LT(worst, 1.15);
}

TEST(Lstm, RefusesWhatTfliteMicroRefusesNamingIt) {
  Graph peephole = GoldenLstm("unidirectional_sequence_lstm_b1_t3");
  peephole.nodes[0].inputs[10] = peephole.nodes[0].inputs[13];  // a cell-to-forget weight
  auto e = Executor::Create(peephole);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("peephole connections (input 10)"), std::string::npos)
      << e.status().message();

  Graph relu = GoldenLstm("unidirectional_sequence_lstm_b1_t3");
  std::get<LstmAttrs>(relu.nodes[0].attrs).activation = 1;
  e = Executor::Create(relu);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("cell gate activation RELU is not supported"),
            std::string::npos)
      << e.status().message();

  Graph stateless = GoldenLstm("unidirectional_sequence_lstm_b1_t3");
  stateless.tensors[stateless.nodes[0].inputs[19]].quant.scales = {0.0003f};
  e = Executor::Create(stateless);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("needs a power-of-two scale"), std::string::npos)
      << e.status().message();
}

// TF Lite Micro's MNIST LSTM example (28 rows of 28 pixels, 20 units, then a
// dense softmax): it loads and runs; its int8 softmax (scale 1/256, zero point
// -128) sums to about one.
TEST(Lstm, TfliteMicroMnistExampleRuns) {
  auto ex = LoadModel(testing::SourcePath("models/extra/tflm_mnist_lstm_int8.tflite"));
  ASSERT_TRUE(ex.ok()) << ex.status().message();
  std::mt19937 rng(46);
  for (int trial = 0; trial < 3; ++trial) {
    (*ex)->Reset();
    const auto out = Invoke(**ex, RandomBytes(rng, 28 * 28));
    ASSERT_EQ(out.size(), 10u);
    int sum = 0;
    for (uint8_t q : out) sum += static_cast<int8_t>(q) + 128;
    EXPECT_NEAR(sum, 256, 10) << "trial " << trial;
  }
}

}  // namespace
}  // namespace mcunet
