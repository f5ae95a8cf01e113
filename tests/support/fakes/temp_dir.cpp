#include "temp_dir.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <random>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace b3s::test {

TempDir::TempDir(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!::mkdtemp(buffer.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = buffer.data();
}

TempDir::~TempDir() {
    std::error_code ec;
    // Tests may leave read-only directories behind; make them writable so removal succeeds.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code ignored;
        if (it->is_directory(ignored) && !it->is_symlink(ignored))
            std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                         std::filesystem::perm_options::add, ignored);
    }
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::filesystem::path& relative, const std::string& content) const {
    auto target = path_ / relative;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + target.string());
    return target;
}

std::filesystem::path TempDir::mkdir(const std::filesystem::path& relative) const {
    auto target = path_ / relative;
    std::filesystem::create_directories(target);
    return target;
}

std::filesystem::path makeTempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    std::random_device rd;
    auto dir =
        std::filesystem::temp_directory_path() / ("b3s-" + tag + "-" + std::to_string(::getpid()) + "-" +
                                                  std::to_string(counter++) + "-" + std::to_string(rd() % 100000));
    std::filesystem::create_directories(dir);
    return dir;
}

bool permissionBitsAreBypassed() {
    TempDir probe("b3s-perm-probe");
    auto locked = probe.mkdir("locked");
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    bool writable = ::access(locked.c_str(), W_OK) == 0;
    std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
    return writable;
}

}  // namespace b3s::test
