// Image classification data in the IDX format (MNIST, Fashion-MNIST and any
// folder laid out the same way), read with zlib so gzipped and plain files both
// work. Images stay uint8 as stored; the trainer converts batches.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace mcunet {

struct ImageSet {
  int64_t count = 0;
  int height = 0, width = 0, channels = 0;
  std::vector<uint8_t> pixels;  // count x height x width x channels (IDX order)
  std::vector<int> labels;      // count, each in [0, num_classes)
  int num_classes = 0;
  int64_t ImageBytes() const { return int64_t{height} * width * channels; }
};

// The images of `rows` (indices into `set`), in that order.
ImageSet SubsetOf(const ImageSet& set, const std::vector<int64_t>& rows);

struct Dataset {
  std::string name;
  ImageSet train, test;
  int num_classes = 0;  // the larger of the two sets' label ranges
  std::vector<std::string> class_names;  // image folders: the class folders, by label
  int64_t skipped_files = 0;   // image folders: files that could not be decoded
  std::string first_skipped;   // one of them, for messages
};

struct IdxFiles {
  std::string train_images, train_labels, test_images, test_labels;
};

// The Debian package installs these four files; their location comes from the
// package's own file list, so a relocated or missing package is reported.
inline constexpr const char* kFashionMnistPackage = "dataset-fashion-mnist";
Expected<IdxFiles> LocateDebianDataset(const std::string& package,
                                       const std::string& dpkg_info_dir = "/var/lib/dpkg/info");
// A folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
// t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz].
Expected<IdxFiles> LocateIdxFolder(const std::string& folder);

// Images: IDX unsigned-byte, dims (N, H, W) or (N, H, W, C). Labels: (N).
Expected<ImageSet> ReadIdxImageSet(const std::string& images_path, const std::string& labels_path);

// "fashion-mnist" (the Debian package), a folder as above, or a folder of
// images DIR/train/<class>/*, DIR/test/<class>/* (data/image_folder.h).
Expected<Dataset> LoadDataset(const std::string& spec);

// A fixed split of `count` indices into `holdout` held-out ones and the rest,
// by a Fisher-Yates shuffle on mt19937(seed) (the same on every platform).
struct Split {
  std::vector<int64_t> train, holdout;
};
Split SplitIndices(int64_t count, int64_t holdout, uint32_t seed);
// That shuffle: Fisher-Yates on mt19937(seed), identical on every platform
// (std::shuffle's algorithm is not specified).
void Shuffle(std::vector<int64_t>& values, uint32_t seed);

}  // namespace mcunet
