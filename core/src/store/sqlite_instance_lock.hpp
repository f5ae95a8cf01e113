#pragma once
// Keeps a second b3scaled process off an embedded SQLite store. SQLite itself would let two
// processes share the file, but each keeps its cluster view in memory and learns nothing
// of the other's writes (there is no change feed without PostgreSQL): both would route on
// stale data. So opening a SQLite store takes an exclusive flock() on `<dbfile>.lock`,
// held as long as any store of this process has that file open.
//
// Within one process the lock is shared: every SqlStore on the same file holds the same
// lock (flock locks belong to an open file description, so a second open() in the same
// process would conflict with the first). A forked child is another process and does not
// share its parent's registration. The holder's pid is written into the lock file so the
// refusal can name it; the file itself stays in place (removing it would race with the
// next opener).
//
// Thread-safety: acquire() and release (destruction) may run concurrently from any thread.

#include <memory>
#include <string>

namespace b3s::core::store {

class SqliteInstanceLock {
public:
    /// Takes (or shares, within this process) the lock of `database_path`. Throws
    /// StoreError(Invalid) when another process holds it ("the embedded SQLite store <path>
    /// is in use by another b3scaled (pid N); …") or when the lock file cannot be opened.
    static std::unique_ptr<SqliteInstanceLock> acquire(const std::string& database_path);

    /// Releases this holder's share; the flock goes with the last one.
    ~SqliteInstanceLock();
    SqliteInstanceLock(const SqliteInstanceLock&) = delete;
    SqliteInstanceLock& operator=(const SqliteInstanceLock&) = delete;

    /// `<dbfile>.lock`.
    const std::string& lockPath() const noexcept { return lock_path_; }

private:
    explicit SqliteInstanceLock(std::string lock_path) : lock_path_(std::move(lock_path)) {}
    std::string lock_path_;
};

}  // namespace b3s::core::store
