#include "durable_io.hpp"

#include "fs_failure.hpp"
#include "safe_paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace b3s::recordings::filesystem {
namespace {

void writeAll(int fd, std::string_view content, const std::filesystem::path& path) {
    while (!content.empty()) {
        ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw FsFailure("writing", path, errno);
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

UniqueFd::~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
}

int UniqueFd::close() noexcept {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
}

void ensureDirectory(const std::filesystem::path& dir, mode_t mode) {
    if (::mkdir(dir.c_str(), mode) == 0) {
        // mkdir applies the umask; the mode is part of the layout (web servers read it).
        if (::chmod(dir.c_str(), mode) != 0) throw FsFailure("setting the mode of", dir, errno);
        fsyncDirectory(dir.parent_path());
        return;
    }
    if (errno != EEXIST) throw FsFailure("creating the directory", dir, errno);
    auto type = entryType(dir);
    if (type == EntryType::Directory) return;
    throw FsFailure(plugin::StorageFailure::PermissionDenied,
                    "Refusing to use " + dir.string() + ": it " +
                        (type == EntryType::Symlink ? "is a symbolic link, which the recordings plugin never follows"
                                                    : "is not a directory") +
                        ".");
}

void fsyncDirectory(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) throw FsFailure("opening the directory", dir, errno);
    if (::fsync(fd.get()) != 0 && errno != EINVAL) throw FsFailure("syncing the directory", dir, errno);
}

void writeFileAtomically(const std::filesystem::path& file, std::string_view content, mode_t mode) {
    const auto temp = hiddenSibling(file, ".b3s-tmp");
    removeFile(temp);  // left by a crash
    try {
        UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
        if (fd.get() < 0) throw FsFailure("creating", temp, errno);
        if (::fchmod(fd.get(), mode) != 0) throw FsFailure("setting the mode of", temp, errno);
        writeAll(fd.get(), content, temp);
        if (::fsync(fd.get()) != 0) throw FsFailure("syncing", temp, errno);
        if (fd.close() != 0) throw FsFailure("closing", temp, errno);
        if (::rename(temp.c_str(), file.c_str()) != 0) throw FsFailure("renaming into place", file, errno);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    fsyncDirectory(file.parent_path());
}

std::optional<std::string> readFileCapped(const std::filesystem::path& file, std::size_t max_bytes) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) throw FsFailure("opening", file, errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw FsFailure("inspecting", file, errno);
    if (!S_ISREG(st.st_mode))
        throw FsFailure(plugin::StorageFailure::Io,
                        "Refusing to read " + file.string() + ": it is not a regular file.");
    if (static_cast<std::size_t>(st.st_size) > max_bytes) return std::nullopt;
    std::string content;
    char buffer[16384];
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw FsFailure("reading", file, errno);
        }
        if (n == 0) break;
        // The file may grow after fstat; the cap holds regardless.
        if (content.size() + static_cast<std::size_t>(n) > max_bytes) return std::nullopt;
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return content;
}

void removeTree(const std::filesystem::path& dir) {
    const auto doomed = hiddenSibling(dir, ".b3s-del");
    std::error_code ec;
    std::filesystem::remove_all(doomed, ec);  // left by an interrupted delete
    if (ec) throw FsFailure("removing", doomed, ec.value());
    if (::rename(dir.c_str(), doomed.c_str()) != 0) {
        if (errno == ENOENT) return;
        throw FsFailure("removing", dir, errno);
    }
    // remove_all never follows symbolic links; it removes the links themselves.
    std::filesystem::remove_all(doomed, ec);
    if (ec) throw FsFailure("removing", doomed, ec.value());
    fsyncDirectory(dir.parent_path());
}

void removeFile(const std::filesystem::path& file) {
    if (::unlink(file.c_str()) != 0 && errno != ENOENT) throw FsFailure("removing", file, errno);
}

}  // namespace b3s::recordings::filesystem
