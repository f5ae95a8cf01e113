#pragma once
// Temporary folders: TempDir, a fresh directory under the system temp dir removed with
// everything in it when the object goes away, and makeTempDir for what outlives the test.
// Tests never touch the filesystem outside one of these.

#include <filesystem>
#include <string>

namespace b3s::test {

class TempDir {
public:
    explicit TempDir(const std::string& prefix = "b3s-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& relative) const { return path_ / relative; }

    /// Creates (or replaces) a file below the directory, creating parent directories.
    std::filesystem::path write(const std::filesystem::path& relative, const std::string& content) const;
    /// Creates a directory below the directory, with parents.
    std::filesystem::path mkdir(const std::filesystem::path& relative) const;

private:
    std::filesystem::path path_;
};

/// A fresh, unique directory under the system temp dir that stays when the test ends: for
/// what a child process writes (a b3scaled's logs, its working directory, an SQLite file),
/// left for post-mortem.
std::filesystem::path makeTempDir(const std::string& tag);

/// Whether the process can write where permission bits say it cannot (root, CAP_DAC_OVERRIDE),
/// which makes chmod-based "unwritable directory" tests meaningless.
bool permissionBitsAreBypassed();

}  // namespace b3s::test
