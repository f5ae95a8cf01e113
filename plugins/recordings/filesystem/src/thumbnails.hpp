#pragma once
// A recording's preview images, found where BBB's presentation format puts them:
// presentation/<recordID>/presentation/<hash>/thumbnails/*.png.
// The PNG size is read from the fixed 24-byte header by hand: libpng would decode far more.

#include <b3s/plugin/recordings.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::recordings::filesystem {

/// "thumb-2" < "thumb-10": runs of digits compare by value, everything else byte-wise.
bool naturalLess(std::string_view a, std::string_view b) noexcept;

/// Width and height from a PNG's IHDR chunk (its first 24 bytes); nullopt-like {0, 0} when
/// the file is not a readable PNG.
struct PngSize {
    int width = 0;
    int height = 0;
};
PngSize readPngSize(const std::filesystem::path& file) noexcept;

/// The thumbnails of `record_id` (validated) in `tree`, in natural order of their paths, with
/// paths relative to the tree. Symbolic links are skipped. Never throws.
std::vector<plugin::Thumbnail> findThumbnails(const std::filesystem::path& tree, std::string_view record_id);

}  // namespace b3s::recordings::filesystem
