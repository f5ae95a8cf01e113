#include "store/sqlite_files.hpp"

#include "store/store_error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace b3s::core::store {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
    throw StoreError(StoreError::Kind::Invalid,
                     fmt::format("B3SCALE_DB_URL: cannot {} {}: {}", what, path, std::strerror(error)));
}

struct ClosingFd {
    explicit ClosingFd(int f) : fd(f) {}
    int fd;
    ClosingFd(const ClosingFd&) = delete;
    ClosingFd& operator=(const ClosingFd&) = delete;
    ~ClosingFd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

void narrowToPrivate(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail("inspect", path, errno);
    if ((st.st_mode & 077) == 0 || st.st_uid != ::geteuid()) return;
    if (::fchmod(fd, st.st_mode & 0700) != 0) fail("make private (mode 0600)", path, errno);
}

void makeSqliteFilesPrivate(const std::string& database_path) {
    {
        const ClosingFd db{::open(database_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivateFileMode)};
        if (db.fd < 0) fail("open the SQLite database", database_path, errno);
        narrowToPrivate(db.fd, database_path);
    }
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        const std::string companion = database_path + suffix;
        const ClosingFd file{::open(companion.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)};
        if (file.fd < 0 && errno == ENOENT) continue;
        if (file.fd < 0) fail("open", companion, errno);
        narrowToPrivate(file.fd, companion);
    }
}

}  // namespace b3s::core::store
