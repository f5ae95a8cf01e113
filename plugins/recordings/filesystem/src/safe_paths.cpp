#include "safe_paths.hpp"

#include "fs_failure.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <string>

namespace b3s::recordings::filesystem {
namespace {

bool isAsciiAlnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A hand-written check instead of std::regex: it runs on every request and a character class
// with a length bound is all it takes.
bool matches(std::string_view text, std::size_t max_length, bool allow_underscore) noexcept {
    if (text.empty() || text.size() > max_length) return false;
    for (char c : text)
        if (!isAsciiAlnum(c) && c != '-' && !(allow_underscore && c == '_')) return false;
    return true;
}

}  // namespace

bool isValidRecordId(std::string_view text) noexcept {
    return matches(text, 200, true);
}
bool isValidFormat(std::string_view text) noexcept {
    return matches(text, 200, true);
}
bool isValidLang(std::string_view text) noexcept {
    return matches(text, 35, false);
}
bool isValidKind(std::string_view text) noexcept {
    return text == "subtitles" || text == "captions";
}

EntryType entryType(const std::filesystem::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return EntryType::Missing;
        throw FsFailure("inspecting", path, errno);
    }
    if (S_ISLNK(st.st_mode)) return EntryType::Symlink;
    if (S_ISDIR(st.st_mode)) return EntryType::Directory;
    if (S_ISREG(st.st_mode)) return EntryType::Regular;
    return EntryType::Other;
}

bool recordingDirExists(const std::filesystem::path& tree, std::string_view format, std::string_view record_id) {
    auto refuse = [](const std::filesystem::path& p, EntryType type) {
        const char* what = type == EntryType::Symlink ? "is a symbolic link, which the recordings plugin never follows"
                                                      : "is not a directory";
        throw FsFailure(plugin::StorageFailure::PermissionDenied,
                        "Refusing to use " + p.string() + ": it " + what + ".");
    };
    const auto format_dir = tree / std::string(format);
    auto type = entryType(format_dir);
    if (type == EntryType::Missing) return false;
    if (type != EntryType::Directory) refuse(format_dir, type);
    const auto record_dir = format_dir / std::string(record_id);
    type = entryType(record_dir);
    if (type == EntryType::Missing) return false;
    if (type != EntryType::Directory) refuse(record_dir, type);
    return true;
}

bool sameDirectory(const std::filesystem::path& a, const std::filesystem::path& b) {
    auto normal = [](const std::filesystem::path& p) {
        auto n = p.lexically_normal();
        if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();
        return n;
    };
    if (normal(a) == normal(b)) return true;
    struct stat sa {
    }, sb{};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

std::filesystem::path hiddenSibling(const std::filesystem::path& entry, std::string_view suffix) {
    return entry.parent_path() / ("." + entry.filename().string() + std::string(suffix));
}

}  // namespace b3s::recordings::filesystem
