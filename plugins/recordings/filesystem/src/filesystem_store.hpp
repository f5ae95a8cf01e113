#pragma once
// Recording files on local (or mounted) directories, laid out as BBB writes them:
// <tree>/<format>/<recordID>/... with the trees inbox, published, unpublished and quarantine.

#include "settings.hpp"
#include "tree_mover.hpp"

#include <b3s/plugin/context.hpp>
#include <b3s/plugin/recordings.hpp>

#include <array>
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
    /// `logger` and `clock` must outlive this object (the Context guarantees it). `mover` holds
    /// test seams only.
    FilesystemStore(Settings settings, plugin::Logger& logger, const plugin::Clock& clock, MoverOptions mover = {});

    const Settings& settings() const noexcept { return settings_; }

    // b3s::plugin::RecordingsStore
    bool enabled() const override { return true; }
    std::vector<plugin::StorageProblem> check() const override;
    std::vector<plugin::StoredFormat> listInbox(std::size_t limit) const override;
    std::size_t scanStored(const std::function<void(const plugin::StoredFormat&)>& visit) const override;
    plugin::StorageResult importFormat(std::string_view record_id, std::string_view format, bool published) override;
    plugin::StorageResult quarantine(std::string_view record_id, std::string_view format,
                                     std::string_view reason) override;
    plugin::StorageResult setPublished(std::string_view record_id, std::string_view format, bool published) override;
    plugin::StorageResult remove(std::string_view record_id, std::string_view format) override;
    std::vector<plugin::Thumbnail> thumbnails(std::string_view record_id) const override;
    std::vector<plugin::TextTrack> listTextTracks(std::string_view record_id) const override;
    plugin::StorageResult putTextTrack(std::string_view record_id, const plugin::TextTrack& track,
                                       std::string_view content) override;
    std::string playbackUrl(std::string_view link_or_path) const override;

private:
    struct Tree {
        plugin::RecordingTree kind;
        std::filesystem::path path;
    };
    /// Where a recording's text tracks live: <tree>/<format>/<recordID>.
    struct TrackHome {
        std::filesystem::path dir;
        std::string relative;  ///< <format>/<recordID>
    };

    /// Serialises work on one recording (striped: two ids may share a lock, which is harmless).
    std::mutex& lockFor(std::string_view record_id) const;
    const std::filesystem::path& pathOf(plugin::RecordingTree tree) const;
    /// Inbox, published, unpublished, each distinct directory once (the inbox usually is one
    /// of the others).
    std::vector<Tree> distinctTrees(std::initializer_list<plugin::RecordingTree> order) const;
    std::optional<TrackHome> trackHome(std::string_view record_id) const;
    std::string timestamp() const;

    Settings settings_;
    plugin::Logger& logger_;
    const plugin::Clock& clock_;
    TreeMover mover_;
    // Concurrent checks would create and remove the same probe file under each other.
    mutable std::mutex probe_mutex_;
    mutable std::array<std::mutex, 64> record_locks_;
};

/// The factory exported as b3s_create_recordings. Throws plugin::ConfigError.
std::unique_ptr<plugin::RecordingsStore> create(const plugin::Context& context);

}  // namespace b3s::recordings::filesystem
