// The layout people keep their own images in: DIR/train/<class>/* and
// DIR/test/<class>/* (PNG, JPEG, BMP, GIF, TGA; decoded with stb_image, the
// Debian package libstb). Class names are the folder names in sorted order,
// the same in both splits. Images of any size are resized (bilinear, as
// data/image_preprocess.h) to one stored square side, so that a data set is
// one ImageSet per split; the search resizes again to its resolution.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "data/idx_dataset.h"

namespace mcunet {

// The side images are stored at: the largest resolution a search budget uses.
inline constexpr int kImageFolderSide = 64;

// Whether `dir` looks like this layout (has a train/ folder).
bool IsImageFolder(const std::string& dir);

// Colour images make a 3-channel set (grey ones replicated); all grey, 1
// channel. Undecodable files are skipped and counted; a split with no
// usable image, an empty class folder, classes that differ between train/
// and test/, or a file in place of a class folder is an error naming it.
// Fills Dataset::class_names and the skipped-file count.
Expected<Dataset> LoadImageFolder(const std::string& dir, int side = kImageFolderSide);

}  // namespace mcunet
