#pragma once
// One failed file system call, carried from deep inside a copy or a write up to the public
// method, which turns it into the StorageResult the SDK promises (methods never throw).

#include <b3s/plugin/recordings.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace b3s::recordings::filesystem {

/// Thrown inside the plugin only; every public method catches it.
class FsFailure : public std::runtime_error {
public:
    /// `action` is a gerund phrase such as "creating the directory"; `error` an errno value.
    FsFailure(std::string action, std::filesystem::path path, int error);
    /// A failure that is not an errno (a symlink refused, a file of the wrong type).
    FsFailure(plugin::StorageFailure failure, std::string message);

    const plugin::StorageResult& result() const noexcept { return result_; }
    int error() const noexcept { return error_; }

private:
    plugin::StorageResult result_;
    int error_ = 0;
};

/// ENOSPC/EDQUOT → NoSpace, EACCES/EPERM/EROFS → PermissionDenied, anything else → Io.
plugin::StorageFailure failureOf(int error) noexcept;

/// A one-sentence message: "Writing /x/y failed: No space left on device." (never content).
std::string describe(const std::string& action, const std::filesystem::path& path, int error);

}  // namespace b3s::recordings::filesystem
