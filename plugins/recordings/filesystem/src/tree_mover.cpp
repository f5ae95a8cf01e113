#include "tree_mover.hpp"

#include "durable_io.hpp"
#include "fs_failure.hpp"
#include "safe_paths.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

struct DirCloser {
    void operator()(DIR* dir) const noexcept { ::closedir(dir); }
};

// Names of a directory in a stable order (so a failing copy fails the same way every time).
std::vector<std::string> listNames(const std::filesystem::path& dir) {
    std::unique_ptr<DIR, DirCloser> listing(::opendir(dir.c_str()));
    if (!listing) throw FsFailure("listing", dir, errno);
    std::vector<std::string> names;
    errno = 0;
    while (dirent* entry = ::readdir(listing.get())) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
        errno = 0;
    }
    if (errno != 0) throw FsFailure("listing", dir, errno);
    std::sort(names.begin(), names.end());
    return names;
}

void renameOrThrow(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) throw FsFailure("renaming " + from.string() + " to", to, errno);
}

bool isMissing(const std::filesystem::path& path) noexcept {
    struct stat st {};
    return ::lstat(path.c_str(), &st) != 0 && errno == ENOENT;
}

void quietlyRemoveTree(const std::filesystem::path& dir) noexcept {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

}  // namespace

TreeMover::TreeMover(MoverOptions options, plugin::Logger& logger) : options_(std::move(options)), logger_(logger) {}

void TreeMover::injected(const std::filesystem::path& path, const char* action) const {
    if (!options_.fault) return;
    if (int error = options_.fault(path)) throw FsFailure(action, path, error);
}

void TreeMover::copyFile(const std::filesystem::path& from, const std::filesystem::path& to, mode_t mode) const {
    injected(to, "creating");
    UniqueFd in(::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (in.get() < 0) throw FsFailure("opening", from, errno);
    UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777));
    if (out.get() < 0) throw FsFailure("creating", to, errno);
    std::vector<char> buffer(1 << 16);
    for (;;) {
        ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw FsFailure("reading", from, errno);
        }
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = ::write(out.get(), buffer.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0) {
                if (errno == EINTR) continue;
                throw FsFailure("writing", to, errno);
            }
            done += w;
        }
    }
    // Keep the modification time: players and web servers use it for caching.
    struct stat st {};
    if (::fstat(in.get(), &st) == 0) {
        const timespec times[2] = {st.st_atim, st.st_mtim};
        ::futimens(out.get(), times);
    }
    if (::fsync(out.get()) != 0) throw FsFailure("syncing", to, errno);
    if (out.close() != 0) throw FsFailure("closing", to, errno);
}

void TreeMover::copyTree(const std::filesystem::path& from, const std::filesystem::path& to) const {
    struct stat st {};
    if (::lstat(from.c_str(), &st) != 0) throw FsFailure("inspecting", from, errno);
    injected(to, "creating the directory");
    if (::mkdir(to.c_str(), 0700) != 0) throw FsFailure("creating the directory", to, errno);
    for (const auto& name : listNames(from)) {
        const auto source = from / name;
        const auto target = to / name;
        struct stat child {};
        if (::lstat(source.c_str(), &child) != 0) throw FsFailure("inspecting", source, errno);
        if (S_ISDIR(child.st_mode)) {
            copyTree(source, target);
        } else if (S_ISREG(child.st_mode)) {
            copyFile(source, target, child.st_mode);
        } else if (S_ISLNK(child.st_mode)) {
            // Copied as a link, never followed: the copy holds exactly what the source held.
            std::vector<char> link(static_cast<std::size_t>(child.st_size) + 1);
            ssize_t n = ::readlink(source.c_str(), link.data(), link.size());
            if (n < 0) throw FsFailure("reading the link", source, errno);
            injected(target, "creating the link");
            if (::symlink(std::string(link.data(), static_cast<std::size_t>(n)).c_str(), target.c_str()) != 0)
                throw FsFailure("creating the link", target, errno);
        } else {
            throw FsFailure(
                plugin::StorageFailure::Io,
                "Refusing to copy " + source.string() + ": it is not a regular file, a directory or a symbolic link.");
        }
    }
    // The mode last, so a read-only source directory does not stop us filling the copy.
    if (::chmod(to.c_str(), st.st_mode & 07777) != 0) throw FsFailure("setting the mode of", to, errno);
    const timespec times[2] = {st.st_atim, st.st_mtim};
    ::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
    fsyncDirectory(to);
}

plugin::StorageResult TreeMover::move(const std::filesystem::path& from, const std::filesystem::path& to, bool replace,
                                      mode_t parent_mode) const {
    const auto parent = to.parent_path();
    const auto staged = hiddenSibling(to, ".b3s-tmp");
    const auto aside = hiddenSibling(to, ".b3s-old");
    bool copied = false;
    bool staged_by_rename = false;
    bool set_aside = false;
    try {
        ensureDirectory(parent, parent_mode);
        // Left behind by a crash in the middle of an earlier move of this recording.
        std::error_code ec;
        std::filesystem::remove_all(staged, ec);
        if (ec) throw FsFailure("removing", staged, ec.value());
        std::filesystem::remove_all(aside, ec);
        if (ec) throw FsFailure("removing", aside, ec.value());

        const auto existing = entryType(to);
        if (existing != EntryType::Missing && existing != EntryType::Directory)
            throw FsFailure(plugin::StorageFailure::PermissionDenied,
                            "Refusing to replace " + to.string() + ": it is not a directory.");
        if (existing == EntryType::Directory && !replace)
            return {plugin::StorageFailure::Conflict, "The destination " + to.string() + " exists already."};

        // Stage the recording next to its destination: one rename on the same file system,
        // a full copy otherwise. Until the final rename nothing visible has changed.
        if (!options_.force_copy && ::rename(from.c_str(), staged.c_str()) == 0) {
            staged_by_rename = true;
        } else if (options_.force_copy || errno == EXDEV) {
            copied = true;
            copyTree(from, staged);
            fsyncDirectory(parent);
        } else {
            throw FsFailure("moving " + from.string() + " to", staged, errno);
        }

        if (existing == EntryType::Directory) {
            renameOrThrow(to, aside);
            set_aside = true;
        }
        renameOrThrow(staged, to);
    } catch (const std::exception& e) {
        // Undo in reverse order; each step is a rename within one directory or a removal of
        // our own staging copy.
        if (set_aside && isMissing(to)) ::rename(aside.c_str(), to.c_str());
        if (staged_by_rename)
            ::rename(staged.c_str(), from.c_str());
        else if (copied)
            quietlyRemoveTree(staged);
        const auto* failure = dynamic_cast<const FsFailure*>(&e);
        plugin::StorageResult result =
            failure ? failure->result()
                    : plugin::StorageResult{plugin::StorageFailure::Io,
                                            "Moving " + from.string() + " failed: " + e.what() + "."};
        logger_.warn("recording_move_failed",
                     {{"from", from.string()}, {"to", to.string()}, {"reason", result.message}});
        return result;
    }

    // The recording is in place: from here on nothing is undone, failures are only logged.
    try {
        fsyncDirectory(parent);
        if (staged_by_rename) fsyncDirectory(from.parent_path());
    } catch (const FsFailure& failure) {
        logger_.warn("recording_sync_failed", {{"path", to.string()}, {"reason", failure.what()}});
    }
    if (set_aside) {
        try {
            removeTree(aside);
        } catch (const FsFailure& failure) {
            logger_.warn("recording_cleanup_failed", {{"path", aside.string()}, {"reason", failure.what()}});
        }
    }
    if (copied) {
        try {
            removeTree(from);
        } catch (const FsFailure& failure) {
            logger_.warn("recording_cleanup_failed", {{"path", from.string()}, {"reason", failure.what()}});
        }
    }
    logger_.debug("recording_tree_moved",
                  {{"from", from.string()}, {"to", to.string()}, {"copied", copied ? "true" : "false"}});
    return {};
}

}  // namespace b3s::recordings::filesystem
