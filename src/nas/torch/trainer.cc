#include "nas/torch/trainer.h"

#include "core/atomic_file.h"

#include <fmt/format.h>
#include <malloc.h>

#include <cmath>
#include <filesystem>

namespace mcunet {
namespace {

using torch::indexing::Slice;

// The permutation of the training rows for one epoch (a pure function of seed and epoch).
std::vector<int64_t> EpochOrder(const std::vector<int64_t>& rows, uint32_t seed, int64_t epoch) {
  std::vector<int64_t> order = rows;
  Shuffle(order, seed * 1000003u + static_cast<uint32_t>(epoch) * 7919u + 17u);
  return order;
}

double LearningRate(const TrainOptions& o, int64_t step) {
  const double base = o.lr * o.batch_size / 128.0;
  if (step < o.warmup_steps) return base * (step + 1) / o.warmup_steps;
  const double t = double(step - o.warmup_steps) / std::max<int64_t>(1, o.steps - o.warmup_steps);
  return 0.5 * base * (1 + std::cos(M_PI * t));
}

}  // namespace

ImageTensors ToTensors(const ImageSet& set) {
  ImageTensors t;
  t.images = torch::from_blob(const_cast<uint8_t*>(set.pixels.data()),
                              {set.count, set.height, set.width, set.channels}, torch::kUInt8)
                 .permute({0, 3, 1, 2})
                 .clone(at::MemoryFormat::Contiguous);  // owns its pixels
  std::vector<int64_t> labels(set.labels.begin(), set.labels.end());
  t.labels = torch::tensor(labels, torch::kInt64);
  t.mean.assign(set.channels, 0.5f);
  t.std.assign(set.channels, 0.5f);
  return t;
}

void SetNormalisation(ImageTensors& data, const std::vector<int64_t>& rows) {
  const torch::Tensor x = data.images.index_select(0, torch::tensor(rows)).to(torch::kFloat) / 255;
  const torch::Tensor mean = x.mean({0, 2, 3}), std = x.std({0, 2, 3});
  for (int64_t c = 0; c < x.size(1); ++c) {
    data.mean[c] = mean[c].item<float>();
    data.std[c] = std::max(1e-3f, std[c].item<float>());
  }
}

torch::Tensor MakeInputs(const ImageTensors& data, const torch::Tensor& rows, int resolution,
                         std::mt19937* rng) {
  torch::Tensor x = data.images.index_select(0, rows);
  if (rng != nullptr) {
    // Random crop with zero padding of 1/8 of the side, then horizontal flip.
    const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
    const int64_t pad = std::max<int64_t>(1, h / 8);
    const torch::Tensor padded = torch::constant_pad_nd(x, {pad, pad, pad, pad}, 0);
    torch::Tensor out = torch::empty_like(x);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t dy = (*rng)() % (2 * pad + 1), dx = (*rng)() % (2 * pad + 1);
      torch::Tensor crop = padded[i].index({Slice(), Slice(dy, dy + h), Slice(dx, dx + w)});
      if ((*rng)() & 1) crop = crop.flip({2});
      out[i].copy_(crop);
    }
    x = out;
  }
  x = x.to(torch::kFloat).div_(255);
  const int64_t c = x.size(1);
  const torch::Tensor mean = torch::tensor(data.mean).view({1, c, 1, 1});
  const torch::Tensor std = torch::tensor(data.std).view({1, c, 1, 1});
  x = (x - mean) / std;
  if (x.size(2) != resolution || x.size(3) != resolution) {
    x = torch::nn::functional::interpolate(
        x, torch::nn::functional::InterpolateFuncOptions()
               .size(std::vector<int64_t>{resolution, resolution})
               .mode(torch::kBilinear)
               .align_corners(false));
  }
  return x;
}

torch::Tensor SmoothedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                   double smoothing) {
  return torch::nn::functional::cross_entropy(
      logits, labels, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(smoothing));
}

Status SaveModule(torch::nn::Module& model, const std::string& path) {
  return CatchTorch(path, [&] {
    torch::serialize::OutputArchive archive;
    model.save(archive);
    archive.save_to(TempPathFor(path));
    return CommitFile(path);
  });
}

Status LoadModule(torch::nn::Module& model, const std::string& path) {
  return CatchTorch(path, [&] {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    model.load(archive);
    return OkStatus();
  });
}

Expected<TrainResult> Train(torch::nn::Module& model, const ImageTensors& data,
                            const std::vector<int64_t>& rows, const TrainOptions& o,
                            const StepFn& step_fn, const BeforeStepFn& before_step) {
  if (static_cast<int64_t>(rows.size()) < o.batch_size) {
    return Status::Error(fmt::format("training needs at least one batch ({} images), has {}",
                                     o.batch_size, rows.size()));
  }
  // No weight decay on BN parameters, biases and the kernel transforms (Once-for-All).
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : model.named_parameters()) {
    const bool transform = p.key().find("transform") != std::string::npos;
    (p.value().dim() > 1 && !transform ? decay : no_decay).push_back(p.value());
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(
                                 torch::optim::SGDOptions(o.lr)
                                     .momentum(o.momentum)
                                     .nesterov(true)
                                     .weight_decay(o.weight_decay)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::SGDOptions>(
                                    torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(
                                        true)));
  torch::optim::SGD optimizer(std::move(groups), torch::optim::SGDOptions(o.lr));
  TrainResult result;
  int64_t start = 0;
  if (!o.checkpoint.empty() && std::filesystem::exists(o.checkpoint)) {
    Status loaded = CatchTorch(o.checkpoint, [&] {
      torch::serialize::InputArchive archive;
      archive.load_from(o.checkpoint);
      torch::serialize::InputArchive model_archive, optimizer_archive;
      archive.read("model", model_archive);
      archive.read("optimizer", optimizer_archive);
      model.load(model_archive);
      optimizer.load(optimizer_archive);
      torch::Tensor step;
      archive.read("step", step);
      start = step.item<int64_t>();
      return OkStatus();
    });
    if (!loaded.ok()) {
      return loaded.WithContext("cannot resume (delete the file to start over): ");
    }
    result.resumed_from_step = start;
  }
  const auto save = [&](int64_t next_step) {
    return CatchTorch(o.checkpoint, [&] {
      torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
      model.save(model_archive);
      optimizer.save(optimizer_archive);
      archive.write("model", model_archive);
      archive.write("optimizer", optimizer_archive);
      archive.write("step", torch::tensor(next_step));
      archive.save_to(TempPathFor(o.checkpoint));
      return CommitFile(o.checkpoint);
    });
  };
  const int64_t steps_per_epoch = static_cast<int64_t>(rows.size()) / o.batch_size;
  int64_t order_epoch = -1;
  std::vector<int64_t> order;
  model.train();
  for (int64_t step = start; step < o.steps; ++step) {
    const int64_t epoch = step / steps_per_epoch, position = step % steps_per_epoch;
    if (epoch != order_epoch) {
      order = EpochOrder(rows, o.seed, epoch);
      order_epoch = epoch;
    }
    const torch::Tensor batch_rows = torch::tensor(std::vector<int64_t>(
        order.begin() + position * o.batch_size, order.begin() + (position + 1) * o.batch_size));
    std::mt19937 rng(o.seed * 2654435761u + static_cast<uint32_t>(step));
    torch::Tensor inputs = MakeInputs(data, batch_rows, o.resolution, o.augment ? &rng : nullptr);
    torch::Tensor labels = data.labels.index_select(0, batch_rows);
    if (before_step) before_step(step, optimizer);
    const double lr = LearningRate(o, step);
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
    }
    optimizer.zero_grad();
    double loss = 0;
    Status stepped = CatchTorch(fmt::format("training step {}", step), [&] {
      loss = step_fn(inputs, labels, step);
      optimizer.step();
      return OkStatus();
    });
    if (!stepped.ok()) return stepped;
    if (!std::isfinite(loss)) {
      return Status::Error(fmt::format("training diverged at step {} (loss {})", step, loss));
    }
    result.final_loss = loss;
    if (o.progress) o.progress(step + 1, o.steps, loss);
    const bool last = step + 1 == o.steps;
    if (!o.checkpoint.empty() && ((step + 1) % o.checkpoint_every == 0 || last)) {
      MCUNET_RETURN_IF_ERROR(save(step + 1));
    }
  }
  return result;
}

double Accuracy(const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                const ImageTensors& data, const std::vector<int64_t>& rows, int resolution,
                int batch_size) {
  torch::NoGradGuard guard;
  int64_t correct = 0;
  for (size_t begin = 0; begin < rows.size(); begin += batch_size) {
    const size_t end = std::min(rows.size(), begin + batch_size);
    const torch::Tensor idx =
        torch::tensor(std::vector<int64_t>(rows.begin() + begin, rows.begin() + end));
    const torch::Tensor logits = forward(MakeInputs(data, idx, resolution, nullptr));
    correct += logits.argmax(1).eq(data.labels.index_select(0, idx)).sum().item<int64_t>();
  }
  return rows.empty() ? 0.0 : double(correct) / rows.size();
}

void RecalibrateBn(Supernet& net, const ArchGenome& genome, const ImageTensors& data,
                   const std::vector<int64_t>& rows, int resolution, int batch_size) {
  torch::NoGradGuard guard;
  net->BeginRecalibration();
  for (size_t begin = 0; begin < rows.size(); begin += batch_size) {
    const size_t end = std::min(rows.size(), begin + batch_size);
    const torch::Tensor idx =
        torch::tensor(std::vector<int64_t>(rows.begin() + begin, rows.begin() + end));
    net->forward(MakeInputs(data, idx, resolution, nullptr), genome);
  }
  net->EndRecalibration();
}

void PrepareTorchCpu(int threads) {
  at::set_num_threads(std::max(1, threads));
  // Allocations up to 32 MB (the most glibc allows) come from the heap, freed
  // memory is not trimmed back, and the heap grows 64 MB at a time.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
}

}  // namespace mcunet
