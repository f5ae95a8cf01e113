#pragma once
// The embedded SQLite store holds every tenant's and backend's secret in clear, so its files
// are the owner's alone, whatever the umask: the database file is created 0600 before SQLite
// opens it, and SQLite gives the -wal, -shm and -journal files it creates the database file's
// mode (and fchmods them to it). Files of an earlier start that others may read are narrowed
// to 0600 when this process owns them; a file owned by someone else is the operator's
// arrangement and left as it is.

#include <string>

namespace b3s::core::store {

/// Mode of every file of the embedded store (and of its instance lock).
inline constexpr unsigned kPrivateFileMode = 0600;

/// Creates `database_path` with mode 0600 if it is missing and takes group's and others'
/// access from it and from its existing -wal, -shm and -journal files (companions are never
/// followed through a symlink).
/// Throws StoreError(Invalid) naming the file when the database file cannot be created or a
/// file of ours cannot be narrowed. Call before the first connection opens the file.
void makeSqliteFilesPrivate(const std::string& database_path);

/// Takes group's and others' access from the open file `fd` (named `path` in errors) when this
/// process owns it. Throws StoreError(Invalid) when that fails.
void narrowToPrivate(int fd, const std::string& path);

}  // namespace b3s::core::store
