#pragma once
// Moves one recording directory between trees without ever leaving a half-moved recording:
// rename(2) when both sides share a file system, else a copy staged in a hidden sibling of the
// destination, fsynced, renamed into place, and only then the source removed.

#include <b3s/plugin/context.hpp>
#include <b3s/plugin/recordings.hpp>

#include <sys/types.h>

#include <filesystem>
#include <functional>

namespace b3s::recordings::filesystem {

/// Test seams: production code uses the defaults.
struct MoverOptions {
    /// Treat every rename of a recording directory as EXDEV, forcing the copy path.
    bool force_copy = false;
    /// Consulted before the copy creates each directory or file; a non-zero errno fails that
    /// step as if the system call had (ENOSPC, EACCES, EROFS, EIO …).
    std::function<int(const std::filesystem::path&)> fault;
};

class TreeMover {
public:
    TreeMover(MoverOptions options, plugin::Logger& logger);

    /// Moves the directory `from` to `to`. The parent of `to` (a format directory) is created
    /// with `parent_mode` when missing. When `to` exists: with `replace` the old directory is
    /// renamed aside, the new one renamed in and the old one removed; without, Conflict.
    /// On failure everything is where it was, the staged copy is gone, and the result names
    /// the path and the reason. Never throws.
    plugin::StorageResult move(const std::filesystem::path& from, const std::filesystem::path& to, bool replace,
                               mode_t parent_mode) const;

private:
    /// Copies the tree `from` to the new directory `to`, fsyncing every file and directory.
    /// Symbolic links inside are copied as links (never followed); devices, FIFOs and sockets
    /// are refused.
    void copyTree(const std::filesystem::path& from, const std::filesystem::path& to) const;
    void copyFile(const std::filesystem::path& from, const std::filesystem::path& to, mode_t mode) const;
    void injected(const std::filesystem::path& path, const char* action) const;

    MoverOptions options_;
    plugin::Logger& logger_;
};

}  // namespace b3s::recordings::filesystem
