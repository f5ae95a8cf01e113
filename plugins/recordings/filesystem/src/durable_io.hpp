#pragma once
// Small POSIX building blocks that make a write survive a crash (fsync of the file and of the
// directory that names it) and never follow a symbolic link. All throw FsFailure.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::recordings::filesystem {

/// Owns a file descriptor. close() is explicit for writers: it reports delayed write errors
/// (NFS) that a writer must not ignore.
class UniqueFd {
public:
    explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd();
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    int get() const noexcept { return fd_; }
    /// close(2)'s result; the descriptor is released either way.
    int close() noexcept;

private:
    int fd_;
};

/// Creates `dir` with `mode` when missing (its parent must exist). An existing symbolic link
/// or non-directory there is refused (PermissionDenied).
void ensureDirectory(const std::filesystem::path& dir, mode_t mode);

/// fsync(2) on a directory, so the names created or renamed in it are durable.
void fsyncDirectory(const std::filesystem::path& dir);

/// Writes `content` to the hidden sibling `.<name>.b3s-tmp`, fsyncs it, renames it over `file`
/// and fsyncs the directory: readers see the old or the new file, never a partial one.
void writeFileAtomically(const std::filesystem::path& file, std::string_view content, mode_t mode = 0644);

/// Reads a regular file without following a symbolic link. nullopt when it is larger than
/// `max_bytes`. Throws FsFailure when it cannot be opened or read (ENOENT included).
std::optional<std::string> readFileCapped(const std::filesystem::path& file, std::size_t max_bytes);

/// Removes a directory tree without following symbolic links in it. The tree is first renamed
/// to a hidden sibling, so a half-deleted recording is never visible under its own name.
void removeTree(const std::filesystem::path& dir);

/// unlink(2) that is quiet when the file is already gone.
void removeFile(const std::filesystem::path& file);

}  // namespace b3s::recordings::filesystem
