#pragma once
// Recording files on local (or mounted) directories, laid out as BBB writes them:
// <base>/<format>/<recordID>/...

#include "settings.hpp"

#include <b3s/plugin/context.hpp>
#include <b3s/plugin/recordings.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {

/// Name of the file check() creates and removes, as in b3scale.
inline constexpr const char* kProbeFileName = ".rwtest.b3scale";

/// Throws plugin::ConfigError naming the key and the path when a configured path does not
/// exist or is not a directory. Permissions are not checked here: check() reports them.
void requireDirectories(const Settings& settings);

/// Lists `dir`, then creates and removes kProbeFileName in it. Returns why the directory is
/// unusable, or nullopt. Never throws.
std::optional<std::string> probeDirectory(const std::filesystem::path& dir);

class FilesystemStore final : public plugin::RecordingsStore {
public:
    /// `logger` must outlive this object (the Context guarantees it).
    FilesystemStore(Settings settings, plugin::Logger& logger);

    const Settings& settings() const noexcept { return settings_; }

    // b3s::plugin::RecordingsStore
    bool enabled() const override { return true; }
    std::vector<plugin::StorageProblem> check() const override;

private:
    Settings settings_;
    plugin::Logger& logger_;
    // Concurrent checks would create and remove the same probe file under each other.
    mutable std::mutex probe_mutex_;
};

/// The factory exported as b3s_create_recordings. Throws plugin::ConfigError.
std::unique_ptr<plugin::RecordingsStore> create(const plugin::Context& context);

}  // namespace b3s::recordings::filesystem
