#include "data/image_folder.h"

#include <fmt/format.h>
#include <stb_image.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "data/image_preprocess.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;

// Sorted names of the entries of `dir` that are (is_dir) folders or files;
// hidden entries (".DS_Store", ".git") are left out.
std::vector<std::string> SortedEntries(const fs::path& dir, bool folders) {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (folders ? e.is_directory() : e.is_regular_file()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Decoded {
  std::vector<uint8_t> pixels;  // side x side x channels
  int channels = 0;             // 1 or 3
  int label = 0;
};

// One image resized to side x side, alpha dropped; nothing when stb cannot decode it.
bool Decode(const fs::path& path, int side, Decoded& out) {
  int w = 0, h = 0, n = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> data(stbi_load(path.c_str(), &w, &h, &n, 0),
                                                 stbi_image_free);
  if (!data || w <= 0 || h <= 0 || n < 1 || n > 4) return false;
  const int channels = n >= 3 ? 3 : 1;
  std::vector<uint8_t> kept(static_cast<size_t>(w) * h * channels);
  for (int64_t i = 0; i < int64_t{w} * h; ++i) {
    for (int c = 0; c < channels; ++c) kept[i * channels + c] = data.get()[i * n + c];
  }
  out.pixels = ResizeBilinear(kept, ImageShape{h, w, channels}, side, side);
  out.channels = channels;
  return true;
}

Expected<std::vector<Decoded>> ReadSplit(const fs::path& split, const std::vector<std::string>& classes,
                                         bool every_class_needs_images, int side,
                                         Dataset& report) {
  std::vector<Decoded> images;
  for (size_t label = 0; label < classes.size(); ++label) {
    const fs::path folder = split / classes[label];
    int64_t usable = 0;
    for (const std::string& file : SortedEntries(folder, false)) {
      Decoded d;
      d.label = static_cast<int>(label);
      if (!Decode(folder / file, side, d)) {
        if (report.skipped_files++ == 0) report.first_skipped = (folder / file).string();
        continue;
      }
      images.push_back(std::move(d));
      ++usable;
    }
    if (usable == 0 && every_class_needs_images) {
      return Status::Error(fmt::format("{}: no image that can be read (PNG, JPEG, BMP, GIF, TGA)",
                                       folder.string()));
    }
  }
  if (images.empty()) {
    return Status::Error(fmt::format("{}: no image that can be read in any class folder",
                                     split.string()));
  }
  return images;
}

ImageSet ToImageSet(const std::vector<Decoded>& images, int channels, int side, int classes) {
  ImageSet set;
  set.count = static_cast<int64_t>(images.size());
  set.height = set.width = side;
  set.channels = channels;
  set.num_classes = classes;
  set.pixels.reserve(static_cast<size_t>(set.count * set.ImageBytes()));
  for (const Decoded& d : images) {
    if (d.channels == channels) {
      set.pixels.insert(set.pixels.end(), d.pixels.begin(), d.pixels.end());
    } else {  // grey into a colour set
      for (uint8_t v : d.pixels) set.pixels.insert(set.pixels.end(), {v, v, v});
    }
    set.labels.push_back(d.label);
  }
  return set;
}

}  // namespace

bool IsImageFolder(const std::string& dir) {
  std::error_code ec;
  return fs::is_directory(fs::path(dir) / "train", ec);
}

Expected<Dataset> LoadImageFolder(const std::string& dir, int side) {
  const fs::path root = dir;
  for (const char* split : {"train", "test"}) {
    if (!fs::is_directory(root / split)) {
      return Status::Error(fmt::format(
          "{}: no {}/ folder (an image data set is DIR/train/<class>/* and DIR/test/<class>/*)",
          dir, split));
    }
    for (const fs::directory_entry& e : fs::directory_iterator(root / split)) {
      const std::string name = e.path().filename().string();
      if (!name.empty() && name[0] != '.' && !e.is_directory()) {
        return Status::Error(fmt::format("{}: a file where class folders are expected ({}/<class>/*)",
                                         e.path().string(), split));
      }
    }
  }
  Dataset data;
  data.name = dir;
  Dataset& r = data;
  r.class_names = SortedEntries(root / "train", true);
  const std::vector<std::string> test_classes = SortedEntries(root / "test", true);
  if (r.class_names.size() < 2) {
    return Status::Error(fmt::format("{}: {} class folder(s); a classifier needs at least 2",
                                     (root / "train").string(), r.class_names.size()));
  }
  if (test_classes != r.class_names) {
    std::string only_train, only_test;
    for (const std::string& c : r.class_names) {
      if (!std::binary_search(test_classes.begin(), test_classes.end(), c)) only_train += " " + c;
    }
    for (const std::string& c : test_classes) {
      if (!std::binary_search(r.class_names.begin(), r.class_names.end(), c)) only_test += " " + c;
    }
    return Status::Error(fmt::format(
        "{}: train/ and test/ must hold the same class folders (only in train/:{}; only in test/:{})",
        dir, only_train.empty() ? " none" : only_train, only_test.empty() ? " none" : only_test));
  }
  const int classes = static_cast<int>(r.class_names.size());
  MCUNET_ASSIGN_OR_RETURN(auto train, ReadSplit(root / "train", r.class_names, true, side, r));
  MCUNET_ASSIGN_OR_RETURN(auto test, ReadSplit(root / "test", r.class_names, false, side, r));
  int channels = 1;
  for (const auto* split : {&train, &test}) {
    for (const Decoded& d : *split) channels = std::max(channels, d.channels);
  }
  data.num_classes = classes;
  data.train = ToImageSet(train, channels, side, classes);
  data.test = ToImageSet(test, channels, side, classes);
  return data;
}

}  // namespace mcunet
