#pragma once
// Names from requests become path components only after validation here, and the entries
// built from them are inspected with lstat, so no request can reach outside the trees and no
// planted symbolic link is ever followed.

#include <filesystem>
#include <string_view>

namespace b3s::recordings::filesystem {

/// [A-Za-z0-9_-]{1,200}: BBB's record ids ("<sha1>-<ms>") and format names.
bool isValidRecordId(std::string_view text) noexcept;
bool isValidFormat(std::string_view text) noexcept;
/// [A-Za-z0-9-]{1,35}: a BCP 47 tag such as en-US (no underscore, so it never collides with
/// the captions file prefix).
bool isValidLang(std::string_view text) noexcept;
/// "subtitles" or "captions".
bool isValidKind(std::string_view text) noexcept;

/// What lstat found at a path.
enum class EntryType { Missing, Directory, Regular, Symlink, Other };

/// lstat without following; throws FsFailure (fs_failure.hpp) for errors other than ENOENT
/// and ENOTDIR.
EntryType entryType(const std::filesystem::path& path);

/// `<tree>/<format>/<record_id>` after the names were validated. Throws FsFailure
/// (PermissionDenied) when the format directory or the recording directory is a symbolic
/// link or not a directory; returns whether the recording directory exists.
bool recordingDirExists(const std::filesystem::path& tree, std::string_view format, std::string_view record_id);

/// Two configured paths that name the same directory ("a/b/" and "a/./b", or the same inode).
bool sameDirectory(const std::filesystem::path& a, const std::filesystem::path& b);

/// The hidden sibling of an entry, `.<name><suffix>`, for staging, setting aside and deleting.
std::filesystem::path hiddenSibling(const std::filesystem::path& entry, std::string_view suffix);

}  // namespace b3s::recordings::filesystem
