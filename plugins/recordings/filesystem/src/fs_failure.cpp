#include "fs_failure.hpp"

#include <cctype>
#include <cerrno>
#include <system_error>
#include <utility>

namespace b3s::recordings::filesystem {

plugin::StorageFailure failureOf(int error) noexcept {
    switch (error) {
        case ENOSPC:
        case EDQUOT: return plugin::StorageFailure::NoSpace;
        case EACCES:
        case EPERM:
        case EROFS: return plugin::StorageFailure::PermissionDenied;
        case ENOENT: return plugin::StorageFailure::NotFound;
        default: return plugin::StorageFailure::Io;
    }
}

std::string describe(const std::string& action, const std::filesystem::path& path, int error) {
    std::string message = action + " " + path.string() + " failed: " + std::generic_category().message(error) + ".";
    if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    return message;
}

FsFailure::FsFailure(std::string action, std::filesystem::path path, int error)
    : std::runtime_error(describe(action, path, error)), error_(error) {
    result_ = {failureOf(error), what()};
}

FsFailure::FsFailure(plugin::StorageFailure failure, std::string message)
    : std::runtime_error(message), result_{failure, std::move(message)} {}

}  // namespace b3s::recordings::filesystem
