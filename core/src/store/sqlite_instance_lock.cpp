#include "store/sqlite_instance_lock.hpp"

#include "store/sqlite_files.hpp"
#include "store/store_error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

namespace b3s::core::store {
namespace {

struct Held {
    int fd = -1;
    int holders = 0;
    pid_t owner = 0;  // a forked child inherits the map but not the right to share
};

std::mutex& registryMutex() {
    static std::mutex m;
    return m;
}

std::map<std::string, Held>& registry() {
    static std::map<std::string, Held> r;
    return r;
}

// The holder writes its pid right after locking; a reader may come in between.
std::string holderPid(int fd) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        char buffer[32] = {};
        const auto n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
        if (n > 0) {
            std::string text(buffer, static_cast<std::size_t>(n));
            while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
            if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) return text;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "unknown";
}

}  // namespace

std::unique_ptr<SqliteInstanceLock> SqliteInstanceLock::acquire(const std::string& database_path) {
    // One key per file however it is spelled (relative parts, symlinked directories).
    std::error_code ec;
    auto key = std::filesystem::weakly_canonical(database_path + ".lock", ec).string();
    if (ec || key.empty()) key = database_path + ".lock";

    std::lock_guard lock(registryMutex());
    auto& held = registry()[key];
    if (held.fd >= 0 && held.owner == ::getpid()) {
        ++held.holders;
        return std::unique_ptr<SqliteInstanceLock>(new SqliteInstanceLock(key));
    }
    if (held.fd >= 0) {
        // This is a forked child and the descriptor its parent's lock: the child's copy
        // would keep that lock alive after the parent released it.
        ::close(held.fd);
        held = Held{};
    }

    const int fd = ::open(key.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivateFileMode);
    if (fd < 0) {
        const int error = errno;
        if (held.fd < 0) registry().erase(key);
        throw StoreError(StoreError::Kind::Invalid,
                         fmt::format("B3SCALE_DB_URL: cannot open the lock file {} of the embedded SQLite store: {}",
                                     key, std::strerror(error)));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const auto pid = error == EWOULDBLOCK ? holderPid(fd) : std::string();
        ::close(fd);
        if (held.fd < 0) registry().erase(key);
        if (error != EWOULDBLOCK) {
            throw StoreError(StoreError::Kind::Invalid,
                             fmt::format("B3SCALE_DB_URL: cannot lock {}: {}", key, std::strerror(error)));
        }
        throw StoreError(StoreError::Kind::Invalid,
                         fmt::format("the embedded SQLite store {} is in use by another b3scaled (pid {}); several "
                                     "instances need PostgreSQL (B3SCALE_DB_URL=postgres://…)",
                                     database_path, pid));
    }
    // Private like the database beside it, also when an earlier start made it 0644.
    try {
        narrowToPrivate(fd, key);
    } catch (const StoreError&) {
        ::close(fd);
        if (held.fd < 0) registry().erase(key);
        throw;
    }
    // Informational only: without it a refused second process reports "pid unknown".
    const auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
    held = Held{fd, 1, ::getpid()};
    return std::unique_ptr<SqliteInstanceLock>(new SqliteInstanceLock(key));
}

SqliteInstanceLock::~SqliteInstanceLock() {
    std::lock_guard lock(registryMutex());
    const auto it = registry().find(lock_path_);
    if (it == registry().end() || it->second.owner != ::getpid()) return;
    if (--it->second.holders > 0) return;
    // Closing the only descriptor of this open file description releases the flock.
    ::close(it->second.fd);
    registry().erase(it);
}

}  // namespace b3s::core::store
