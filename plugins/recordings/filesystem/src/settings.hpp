#pragma once
// The recordings/filesystem plugin's configuration: b3scale's recording directories.

#include <b3s/plugin/context.hpp>

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::recordings::filesystem {

inline constexpr const char* kPublishedPathKey = "B3SCALE_RECORDINGS_PUBLISHED_PATH";
inline constexpr const char* kUnpublishedPathKey = "B3SCALE_RECORDINGS_UNPUBLISHED_PATH";
inline constexpr const char* kInboxPathKey = "B3SCALE_RECORDINGS_INBOX_PATH";
inline constexpr const char* kDefaultVisibilityKey = "B3SCALE_RECORDINGS_DEFAULT_VISIBILITY";
inline constexpr const char* kPlaybackHostKey = "B3SCALE_RECORDINGS_PLAYBACK_HOST";
inline constexpr const char* kQuarantinePathKey = "B3SCALE_RECORDINGS_QUARANTINE_PATH";
inline constexpr const char* kTextTrackMaxBytesKey = "B3SCALE_RECORDINGS_TEXT_TRACK_MAX_BYTES";

inline constexpr const char* kDefaultVisibility = "published";
/// 8 MiB: hours of subtitles are a few hundred KiB; anything near this is not a text track.
inline constexpr const char* kDefaultTextTrackMaxBytes = "8388608";
/// The quarantine's default name inside the inbox; the dot keeps it out of format listings.
inline constexpr const char* kDefaultQuarantineDirName = ".quarantine";

inline constexpr std::array<plugin::ConfigKey, 7> kConfigKeys{{
    {kPublishedPathKey, nullptr, "directory of published recordings, e.g. /var/bigbluebutton/published", true, false},
    {kUnpublishedPathKey, nullptr, "directory of unpublished recordings, e.g. /var/bigbluebutton/unpublished", true,
     false},
    {kInboxPathKey, nullptr,
     "where freshly published recordings arrive; default: the directory matching the default visibility", false, false},
    {kDefaultVisibilityKey, kDefaultVisibility,
     "visibility of imported recordings: unpublished, published, protected, public, public_protected", false, false},
    {kPlaybackHostKey, nullptr,
     "scheme and host replacing the backend's in playback URLs, e.g. https://play.example.com", false, false},
    {kQuarantinePathKey, nullptr,
     "where broken imports are moved aside for the operator; default: .quarantine inside the inbox", false, false},
    {kTextTrackMaxBytesKey, kDefaultTextTrackMaxBytes,
     "largest accepted subtitles or captions upload in bytes (a positive integer)", false, false},
}};

/// b3scale's five recording visibilities.
enum class Visibility { Unpublished, Published, Protected, Public, PublicProtected };

std::string_view toString(Visibility visibility) noexcept;
std::optional<Visibility> parseVisibility(std::string_view text) noexcept;

struct Settings {
    std::filesystem::path published_path;
    std::filesystem::path unpublished_path;
    std::filesystem::path inbox_path;  ///< explicit, or derived from the default visibility
    bool inbox_configured = false;     ///< whether B3SCALE_RECORDINGS_INBOX_PATH was set
    Visibility default_visibility = Visibility::Published;
    std::optional<std::string> playback_host;  ///< http(s)://host[:port]
    std::filesystem::path quarantine_path;     ///< explicit, or <inbox>/.quarantine
    std::size_t text_track_max_bytes = 8 * 1024 * 1024;
};

/// Reads and validates the plugin's keys without touching the filesystem.
/// Throws plugin::ConfigError naming the key and the accepted values.
Settings parseSettings(const plugin::ConfigView& config);

}  // namespace b3s::recordings::filesystem
