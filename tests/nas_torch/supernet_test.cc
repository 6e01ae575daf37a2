// The supernet's invariants (extraction, importance reorder, elastic kernel,
// BN recalibration) and the trainer's exact resume, on small random data.
#include "nas/torch/supernet.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "arch/arch_builder.h"
#include "nas/baselines.h"
#include "nas/evolution.h"
#include "nas/torch/trainer.h"

namespace mcunet {
namespace {

using torch::indexing::Slice;

const SearchSpace kSpace{0.3, 32, 1, 10};

std::vector<ArchGenome> SomeGenomes() {
  std::mt19937 rng(11);
  std::vector<ArchGenome> g = {SmallestGenome(), LargestGenome()};
  for (int i = 0; i < 4; ++i) g.push_back(SampleGenome(rng));
  return g;
}

double MaxDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

class SupernetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(5);
    at::set_num_threads(1);
    net = Supernet(kSpace);
    calibration = torch::randn({32, 1, 32, 32});
    input = torch::randn({6, 1, 32, 32});
  }
  void Recalibrate(const ArchGenome& g) {
    torch::NoGradGuard guard;
    net->BeginRecalibration();
    net->forward(calibration, g);
    net->EndRecalibration();
  }
  Supernet net{nullptr};
  torch::Tensor calibration, input;
};

TEST_F(SupernetTest, ExtractedSubnetComputesTheSubnetsFunction) {
  torch::NoGradGuard guard;
  for (const ArchGenome& g : SomeGenomes()) {
    Recalibrate(g);
    const torch::Tensor expected = net->forward(input, g);
    ArchNet sub = net->Extract(g);
    sub->eval();
    EXPECT_LT(MaxDiff(sub->forward(input), expected), 1e-4) << GenomeKey(g);
  }
}

TEST_F(SupernetTest, ExtractedSubnetHasTheArchsParameterCount) {
  for (const ArchGenome& g : SomeGenomes()) {
    ArchNet sub = net->Extract(g);
    int64_t params = 0;
    for (const auto& p : sub->parameters()) params += p.numel();
    EXPECT_EQ(params, ArchTrainingParams(GenomeToArch(g, kSpace))) << GenomeKey(g);
  }
}

TEST_F(SupernetTest, ReorderKeepsTheLargestNetworkAndSortsByImportance) {
  torch::NoGradGuard guard;
  const ArchGenome largest = LargestGenome();
  Recalibrate(largest);
  const torch::Tensor before = net->forward(input, largest);
  const auto permuted = net->ReorderChannelsByImportance();
  EXPECT_FALSE(permuted.empty());
  EXPECT_LT(MaxDiff(net->forward(input, largest), before), 1e-4);
  for (auto& stage : net->stages) {
    for (auto& block : stage) {
      const torch::Tensor importance = block->project_weight.abs().sum({0, 2, 3});
      const int64_t n = importance.size(0);
      const bool sorted =
          importance.narrow(0, 0, n - 1).ge(importance.narrow(0, 1, n - 1)).all().item<bool>();
      EXPECT_TRUE(sorted);
    }
  }
}

TEST_F(SupernetTest, ElasticKernelsStartAsTheCentreOfTheLargest) {
  torch::NoGradGuard guard;
  ElasticBlock& block = net->stages[0][0];
  const int mid = MakeDivisible(block->in_channels * 4);
  const torch::Tensor w = block->depthwise_weight.index({Slice(0, mid)});
  EXPECT_EQ(MaxDiff(block->DepthwiseKernel(5, mid), w.index({Slice(), Slice(), Slice(1, 6), Slice(1, 6)})), 0.0);
  EXPECT_LT(MaxDiff(block->DepthwiseKernel(3, mid), w.index({Slice(), Slice(), Slice(2, 5), Slice(2, 5)})), 1e-7);
  // Training moves the transform: the 3x3 kernel is then no longer a plain crop.
  block->transform_5to3.add_(0.1);
  EXPECT_GT(MaxDiff(block->DepthwiseKernel(3, mid), w.index({Slice(), Slice(), Slice(2, 5), Slice(2, 5)})), 1e-3);
}

TEST_F(SupernetTest, RecalibrationStoresTheSubnetsBatchStatistics) {
  const ArchGenome g = SmallestGenome();
  Recalibrate(g);
  torch::NoGradGuard guard;
  // The stem's BN sees conv(x): its statistics, computed here independently.
  const torch::Tensor conv = torch::conv2d(calibration, net->first_conv->weight, {}, 2, 1);
  const torch::Tensor mean = conv.mean({0, 2, 3}), var = conv.var({0, 2, 3}, false);
  EXPECT_LT(MaxDiff(net->first_conv->bn->running_mean, mean), 1e-5);
  EXPECT_LT(MaxDiff(net->first_conv->bn->running_var, var), 1e-4);
  // A block the smallest network skips keeps its statistics (untouched ones).
  ElasticBlock& unused = net->stages[0][3];
  EXPECT_EQ(unused->expand_bn->running_mean.abs().sum().item<double>(), 0.0);
}

// A checkpoint written mid-run and resumed gives the same weights, bit for bit,
// as the uninterrupted run (batch order, augmentation and draws depend only on
// the seed and the step).
TEST(Trainer, ResumedTrainingEqualsUninterruptedTraining) {
  at::set_num_threads(1);
  ImageSet set;
  set.count = 96, set.height = 12, set.width = 12, set.channels = 1, set.num_classes = 3;
  std::mt19937 rng(3);
  for (int64_t i = 0; i < set.count * 144; ++i) set.pixels.push_back(rng() % 256);
  for (int64_t i = 0; i < set.count; ++i) set.labels.push_back(static_cast<int>(i % 3));
  ImageTensors data = ToTensors(set);
  std::vector<int64_t> rows(set.count);
  std::iota(rows.begin(), rows.end(), 0);
  SetNormalisation(data, rows);
  const ArchConfig arch = MobileNetV2Arch(0.2, 16, 1, 3);
  const auto dir = std::filesystem::temp_directory_path() / "mcunet_trainer_resume";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  const auto run = [&](const std::string& checkpoint, int die_at) {
    torch::manual_seed(9);
    ArchNet net(arch);
    TrainOptions o;
    o.steps = 8, o.batch_size = 16, o.warmup_steps = 2, o.resolution = 16, o.seed = 4;
    o.checkpoint = checkpoint, o.checkpoint_every = 1;
    auto result = Train(*net, data, rows, o, [&](const torch::Tensor& x, const torch::Tensor& y,
                                                 int64_t step) -> double {
      if (step == die_at) throw std::runtime_error("killed");
      torch::Tensor loss = SmoothedCrossEntropy(net->forward(x), y, 0.1);
      loss.backward();
      return loss.item<double>();
    });
    return std::make_pair(net, result);
  };
  auto [straight, r1] = run((dir / "a.ckpt").string(), -1);
  ASSERT_TRUE(r1.ok()) << r1.status().message();
  auto [killed, r2] = run((dir / "b.ckpt").string(), 5);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("training step 5"), std::string::npos);
  auto [resumed, r3] = run((dir / "b.ckpt").string(), -1);
  ASSERT_TRUE(r3.ok()) << r3.status().message();
  EXPECT_EQ(r3->resumed_from_step, 5);
  const auto a = straight->parameters(), b = resumed->parameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
  // And training did change them (the comparison is not of two initialisations).
  torch::manual_seed(9);
  ArchNet fresh(arch);
  EXPECT_FALSE(torch::equal(fresh->parameters()[0], a[0]));
  std::filesystem::remove_all(dir);
}

TEST(Trainer, AugmentationKeepsShapesAndIsSeeded) {
  ImageSet set;
  set.count = 4, set.height = 28, set.width = 28, set.channels = 1, set.num_classes = 2;
  for (int64_t i = 0; i < set.count * 784; ++i) set.pixels.push_back(static_cast<uint8_t>(i));
  set.labels = {0, 1, 0, 1};
  ImageTensors data = ToTensors(set);
  const torch::Tensor rows = torch::tensor(std::vector<int64_t>{0, 1, 2, 3});
  std::mt19937 r1(1), r2(1);
  const torch::Tensor a = MakeInputs(data, rows, 32, &r1), b = MakeInputs(data, rows, 32, &r2);
  EXPECT_EQ(a.sizes(), (std::vector<int64_t>{4, 1, 32, 32}));
  EXPECT_TRUE(torch::equal(a, b));
  const torch::Tensor plain = MakeInputs(data, rows, 28, nullptr);
  // Without augmentation at the native size: exactly (x / 255 - 0.5) / 0.5.
  const torch::Tensor expected = (data.images.to(torch::kFloat) / 255 - 0.5) / 0.5;
  EXPECT_LT(MaxDiff(plain, expected), 1e-6);
}

}  // namespace
}  // namespace mcunet
