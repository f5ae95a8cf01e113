#include "thumbnails.hpp"

#include "durable_io.hpp"
#include "safe_paths.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

namespace b3s::recordings::filesystem {
namespace {

// BBB's own size for presentation thumbnails, used when a PNG header cannot be read.
constexpr int kDefaultWidth = 176;
constexpr int kDefaultHeight = 136;

struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

bool isDigit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// Names in `dir` (not following links) of the wanted type, skipping dot-entries.
std::vector<std::string> entries(const std::filesystem::path& dir, bool directories) {
    std::vector<std::string> names;
    std::unique_ptr<DIR, DirCloser> listing(::opendir(dir.c_str()));
    if (!listing) return names;
    while (dirent* entry = ::readdir(listing.get())) {
        std::string name = entry->d_name;
        if (name.empty() || name[0] == '.') continue;
        struct stat st {};
        if (::lstat((dir / name).c_str(), &st) != 0) continue;
        if (directories ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)) names.push_back(std::move(name));
    }
    return names;
}

std::uint32_t bigEndian32(const unsigned char* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

}  // namespace

bool naturalLess(std::string_view a, std::string_view b) noexcept {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && isDigit(a[ie])) ++ie;
            while (je < b.size() && isDigit(b[je])) ++je;
            // Compare by value without overflow: strip leading zeros, then length, then digits.
            std::size_t is = i, js = j;
            while (is + 1 < ie && a[is] == '0') ++is;
            while (js + 1 < je && b[js] == '0') ++js;
            if (ie - is != je - js) return ie - is < je - js;
            if (int c = a.substr(is, ie - is).compare(b.substr(js, je - js)); c != 0) return c < 0;
            // Equal values: fewer leading zeros first, so the order is total.
            if (ie - i != je - j) return ie - i < je - j;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

PngSize readPngSize(const std::filesystem::path& file) noexcept {
    static constexpr unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return {};
    std::array<unsigned char, 24> header{};
    std::size_t got = 0;
    while (got < header.size()) {
        ssize_t n = ::read(fd.get(), header.data() + got, header.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return {};
        got += static_cast<std::size_t>(n);
    }
    if (std::memcmp(header.data(), kSignature, sizeof kSignature) != 0) return {};
    if (std::memcmp(header.data() + 12, "IHDR", 4) != 0) return {};
    const auto width = bigEndian32(header.data() + 16);
    const auto height = bigEndian32(header.data() + 20);
    // PNG allows up to 2^31-1; anything beyond a sane preview is treated as unreadable.
    if (width == 0 || height == 0 || width > 65535 || height > 65535) return {};
    return {static_cast<int>(width), static_cast<int>(height)};
}

std::vector<plugin::Thumbnail> findThumbnails(const std::filesystem::path& tree, std::string_view record_id) {
    std::vector<plugin::Thumbnail> found;
    try {
        if (!recordingDirExists(tree, "presentation", record_id)) return found;
        const std::string id(record_id);
        const std::filesystem::path relative_record = std::filesystem::path("presentation") / id;
        const auto slides = tree / relative_record / "presentation";
        if (entryType(slides) != EntryType::Directory) return found;
        for (const auto& hash : entries(slides, true)) {
            const auto thumbs = slides / hash / "thumbnails";
            if (entryType(thumbs) != EntryType::Directory) continue;
            for (const auto& name : entries(thumbs, false)) {
                if (name.size() < 5 || name.compare(name.size() - 4, 4, ".png") != 0) continue;
                plugin::Thumbnail thumbnail;
                thumbnail.path = (relative_record / "presentation" / hash / "thumbnails" / name).string();
                auto size = readPngSize(thumbs / name);
                thumbnail.width = size.width > 0 ? size.width : kDefaultWidth;
                thumbnail.height = size.height > 0 ? size.height : kDefaultHeight;
                found.push_back(std::move(thumbnail));
            }
        }
    } catch (const std::exception&) {
        // A symlinked or unreadable recording directory has no previews we may show.
        found.clear();
        return found;
    }
    std::sort(found.begin(), found.end(),
              [](const plugin::Thumbnail& a, const plugin::Thumbnail& b) { return naturalLess(a.path, b.path); });
    return found;
}

}  // namespace b3s::recordings::filesystem
