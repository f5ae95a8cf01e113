#include "filesystem_store.hpp"

#include <b3s/plugin/errors.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>
#include <utility>

namespace b3s::recordings::filesystem {
namespace {

void requireDirectory(const char* key, const std::filesystem::path& path) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found)
        throw plugin::ConfigError(key, "names '" + path.string() + "', which does not exist");
    if (ec) throw plugin::ConfigError(key, "names '" + path.string() + "', which cannot be inspected: " + ec.message());
    if (!std::filesystem::is_directory(status))
        throw plugin::ConfigError(key, "names '" + path.string() + "', which is not a directory");
}

std::string errnoText(int error) {
    return std::generic_category().message(error);
}

// "a/b/" and "a/./b" name the same directory as "a/b".
std::filesystem::path normalized(const std::filesystem::path& path) {
    auto n = path.lexically_normal();
    if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();
    return n;
}

struct Probe {
    std::filesystem::path path;
    std::string keys;  // every key that names this directory, for the operator
};

}  // namespace

void requireDirectories(const Settings& settings) {
    requireDirectory(kPublishedPathKey, settings.published_path);
    requireDirectory(kUnpublishedPathKey, settings.unpublished_path);
    if (settings.inbox_configured) requireDirectory(kInboxPathKey, settings.inbox_path);
}

std::optional<std::string> probeDirectory(const std::filesystem::path& dir) {
    std::error_code ec;
    auto status = std::filesystem::status(dir, ec);
    if (status.type() == std::filesystem::file_type::not_found) return "does not exist";
    if (ec) return "cannot be inspected: " + ec.message();
    if (!std::filesystem::is_directory(status)) return "is not a directory";

    if (DIR* listing = ::opendir(dir.c_str())) {
        ::closedir(listing);
    } else {
        return "cannot be listed: " + errnoText(errno);
    }

    const auto probe = dir / kProbeFileName;
    // O_NOFOLLOW: a planted symlink must not make us create or truncate a file elsewhere.
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return std::string("cannot create ") + kProbeFileName + ": " + errnoText(errno);
    static constexpr char kContent[] = "b3scale";
    bool written = ::write(fd, kContent, sizeof kContent - 1) == static_cast<ssize_t>(sizeof kContent - 1);
    int writeError = errno;
    ::close(fd);
    // Another b3scaled sharing the directory may have removed it already; that is fine.
    if (::unlink(probe.c_str()) != 0 && errno != ENOENT)
        return std::string("cannot remove ") + kProbeFileName + ": " + errnoText(errno);
    if (!written) return std::string("cannot write to ") + kProbeFileName + ": " + errnoText(writeError);
    return std::nullopt;
}

FilesystemStore::FilesystemStore(Settings settings, plugin::Logger& logger)
    : settings_(std::move(settings)), logger_(logger) {}

std::vector<plugin::StorageProblem> FilesystemStore::check() const {
    std::vector<plugin::StorageProblem> problems;
    try {
        // The inbox is usually one of the other two; probe each directory once.
        std::vector<Probe> probes;
        auto add = [&](const std::filesystem::path& path, const char* key) {
            for (auto& p : probes) {
                if (normalized(p.path) == normalized(path)) {
                    p.keys += std::string(", ") + key;
                    return;
                }
            }
            probes.push_back({path, key});
        };
        add(settings_.inbox_path, kInboxPathKey);
        add(settings_.published_path, kPublishedPathKey);
        add(settings_.unpublished_path, kUnpublishedPathKey);

        std::lock_guard lock(probe_mutex_);
        for (const auto& p : probes)
            if (auto why = probeDirectory(p.path))
                problems.push_back({p.path.string(), "the directory " + *why + " (" + p.keys + ")"});
        logger_.info("paths_checked",
                     {{"directories", std::to_string(probes.size())}, {"problems", std::to_string(problems.size())}});
    } catch (const std::exception& e) {
        // Only allocation can fail above; report it as a problem instead of throwing at core.
        problems.push_back({settings_.published_path.string(), std::string("the check failed: ") + e.what()});
    }
    return problems;
}

std::unique_ptr<plugin::RecordingsStore> create(const plugin::Context& context) {
    Settings settings = parseSettings(context.config());
    requireDirectories(settings);
    context.logger().info("store_ready", {{"published", settings.published_path.string()},
                                          {"unpublished", settings.unpublished_path.string()},
                                          {"inbox", settings.inbox_path.string()},
                                          {"default_visibility", toString(settings.default_visibility)}});
    return std::make_unique<FilesystemStore>(std::move(settings), context.logger());
}

}  // namespace b3s::recordings::filesystem
