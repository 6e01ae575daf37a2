#include "data/idx_dataset.h"

#include "data/image_folder.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace mcunet {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIdxNames[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// Reads a whole file through zlib (gzread passes plain files through unchanged).
Expected<std::vector<uint8_t>> ReadMaybeGzipped(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return Status::Error(fmt::format("{}: cannot open", path));
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    const int n = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n < 0) {
      int code = 0;
      std::string why = gzerror(file, &code);
      gzclose(file);
      return Status::Error(fmt::format("{}: corrupt gzip data ({})", path, why));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + n);
  }
  gzclose(file);
  return bytes;
}

struct IdxArray {
  std::vector<int64_t> dims;
  size_t data_offset = 0;
};

// Header: two zero bytes, a type code (0x08 = unsigned byte), the dimension
// count, then each dimension as a big-endian uint32.
Expected<IdxArray> ParseIdxHeader(const std::vector<uint8_t>& b, const std::string& path) {
  if (b.size() < 4 || b[0] != 0 || b[1] != 0) {
    return Status::Error(fmt::format("{}: not an IDX file (bad magic number)", path));
  }
  if (b[2] != 0x08) {
    return Status::Error(
        fmt::format("{}: IDX element type 0x{:02x} unsupported (only unsigned byte, 0x08)", path,
                    b[2]));
  }
  IdxArray a;
  const int rank = b[3];
  if (rank < 1 || rank > 4) {
    return Status::Error(fmt::format("{}: IDX rank {} unsupported (1..4)", path, rank));
  }
  a.data_offset = 4 + 4 * static_cast<size_t>(rank);
  if (b.size() < a.data_offset) return Status::Error(fmt::format("{}: truncated header", path));
  int64_t elements = 1;
  for (int d = 0; d < rank; ++d) {
    const uint8_t* p = b.data() + 4 + 4 * d;
    const int64_t dim = (int64_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
    if (dim <= 0) return Status::Error(fmt::format("{}: dimension {} is {}", path, d, dim));
    if (elements > std::numeric_limits<int64_t>::max() / dim) {
      return Status::Error(fmt::format("{}: dimensions overflow", path));
    }
    elements *= dim;
    a.dims.push_back(dim);
  }
  if (static_cast<int64_t>(b.size() - a.data_offset) != elements) {
    return Status::Error(fmt::format("{}: holds {} data bytes, its header says {}", path,
                                     b.size() - a.data_offset, elements));
  }
  return a;
}

Expected<IdxFiles> FilesIn(const fs::path& folder, const std::string& what) {
  std::string found[4];
  for (int i = 0; i < 4; ++i) {
    for (const char* suffix : {".gz", ""}) {
      const fs::path p = folder / (std::string(kIdxNames[i]) + suffix);
      if (fs::is_regular_file(p)) {
        found[i] = p.string();
        break;
      }
    }
    if (found[i].empty()) {
      return Status::Error(
          fmt::format("{}: no {}[.gz] in {}", what, kIdxNames[i], folder.string()));
    }
  }
  return IdxFiles{found[0], found[1], found[2], found[3]};
}

}  // namespace

Expected<IdxFiles> LocateDebianDataset(const std::string& package,
                                       const std::string& dpkg_info_dir) {
  const fs::path list = fs::path(dpkg_info_dir) / (package + ".list");
  std::ifstream in(list);
  if (!in) {
    return Status::Error(fmt::format(
        "data set '{}' is not installed (no {}); install it with: sudo apt-get install {}",
        package, list.string(), package));
  }
  std::string line;
  while (std::getline(in, line)) {
    const fs::path p(line);
    if (p.filename() == std::string(kIdxNames[0]) + ".gz") {
      return FilesIn(p.parent_path(), "package " + package);
    }
  }
  return Status::Error(fmt::format("package {} lists no {}.gz ({})", package, kIdxNames[0],
                                   list.string()));
}

Expected<IdxFiles> LocateIdxFolder(const std::string& folder) {
  if (!fs::is_directory(folder)) {
    return Status::Error(fmt::format(
        "--dataset {}: neither 'fashion-mnist' nor a folder of IDX files or of images "
        "(train/<class>/*, test/<class>/*)", folder));
  }
  return FilesIn(folder, "--dataset " + folder);
}

Expected<ImageSet> ReadIdxImageSet(const std::string& images_path,
                                   const std::string& labels_path) {
  MCUNET_ASSIGN_OR_RETURN(std::vector<uint8_t> image_bytes, ReadMaybeGzipped(images_path));
  MCUNET_ASSIGN_OR_RETURN(IdxArray images, ParseIdxHeader(image_bytes, images_path));
  MCUNET_ASSIGN_OR_RETURN(std::vector<uint8_t> label_bytes, ReadMaybeGzipped(labels_path));
  MCUNET_ASSIGN_OR_RETURN(IdxArray labels, ParseIdxHeader(label_bytes, labels_path));
  if (images.dims.size() < 3) {
    return Status::Error(fmt::format("{}: images need dims (N, H, W) or (N, H, W, C), got rank {}",
                                     images_path, images.dims.size()));
  }
  if (labels.dims.size() != 1) {
    return Status::Error(fmt::format("{}: labels need dims (N), got rank {}", labels_path,
                                     labels.dims.size()));
  }
  if (labels.dims[0] != images.dims[0]) {
    return Status::Error(fmt::format("{} has {} images but {} has {} labels", images_path,
                                     images.dims[0], labels_path, labels.dims[0]));
  }
  ImageSet set;
  set.count = images.dims[0];
  set.height = static_cast<int>(images.dims[1]);
  set.width = static_cast<int>(images.dims[2]);
  set.channels = images.dims.size() == 4 ? static_cast<int>(images.dims[3]) : 1;
  if (set.height > 4096 || set.width > 4096 || set.channels > 64) {
    return Status::Error(fmt::format("{}: image shape {}x{}x{} out of range", images_path,
                                     set.height, set.width, set.channels));
  }
  set.pixels.assign(image_bytes.begin() + images.data_offset, image_bytes.end());
  set.labels.reserve(set.count);
  for (size_t i = labels.data_offset; i < label_bytes.size(); ++i) {
    set.labels.push_back(label_bytes[i]);
    set.num_classes = std::max(set.num_classes, label_bytes[i] + 1);
  }
  if (set.num_classes < 2) {
    return Status::Error(fmt::format("{}: needs at least two classes", labels_path));
  }
  return set;
}

Expected<Dataset> LoadDataset(const std::string& spec) {
  if (spec != "fashion-mnist" && IsImageFolder(spec)) return LoadImageFolder(spec);
  Expected<IdxFiles> files = spec == "fashion-mnist" ? LocateDebianDataset(kFashionMnistPackage)
                                                     : LocateIdxFolder(spec);
  if (!files.ok()) return files.status();
  Dataset d;
  d.name = spec;
  MCUNET_ASSIGN_OR_RETURN(d.train, ReadIdxImageSet(files->train_images, files->train_labels));
  MCUNET_ASSIGN_OR_RETURN(d.test, ReadIdxImageSet(files->test_images, files->test_labels));
  if (d.train.height != d.test.height || d.train.width != d.test.width ||
      d.train.channels != d.test.channels) {
    return Status::Error(fmt::format("{}: training images are {}x{}x{}, test images {}x{}x{}",
                                     spec, d.train.height, d.train.width, d.train.channels,
                                     d.test.height, d.test.width, d.test.channels));
  }
  d.num_classes = std::max(d.train.num_classes, d.test.num_classes);
  return d;
}

ImageSet SubsetOf(const ImageSet& set, const std::vector<int64_t>& rows) {
  ImageSet out;
  out.count = static_cast<int64_t>(rows.size());
  out.height = set.height;
  out.width = set.width;
  out.channels = set.channels;
  out.num_classes = set.num_classes;
  const int64_t n = set.ImageBytes();
  for (int64_t row : rows) {
    const auto begin = set.pixels.begin() + row * n;
    out.pixels.insert(out.pixels.end(), begin, begin + n);
    out.labels.push_back(set.labels[static_cast<size_t>(row)]);
  }
  return out;
}

void Shuffle(std::vector<int64_t>& values, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = values.size(); i-- > 1;) {
    // Multiply-shift keeps the draw unbiased enough and identical everywhere.
    const size_t j = static_cast<size_t>((uint64_t{rng()} * (i + 1)) >> 32);
    std::swap(values[i], values[j]);
  }
}

Split SplitIndices(int64_t count, int64_t holdout, uint32_t seed) {
  std::vector<int64_t> order(count);
  for (int64_t i = 0; i < count; ++i) order[i] = i;
  Shuffle(order, seed);
  holdout = std::clamp<int64_t>(holdout, 0, count);
  Split s;
  s.holdout.assign(order.begin(), order.begin() + holdout);
  s.train.assign(order.begin() + holdout, order.end());
  std::sort(s.holdout.begin(), s.holdout.end());
  std::sort(s.train.begin(), s.train.end());
  return s;
}

}  // namespace mcunet
