#include "settings.hpp"

#include <b3s/plugin/errors.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <string>

namespace b3s::recordings::filesystem {
namespace {

struct VisibilityName {
    Visibility value;
    std::string_view name;
};

constexpr std::array<VisibilityName, 5> kVisibilities = {{
    {Visibility::Unpublished, "unpublished"},
    {Visibility::Published, "published"},
    {Visibility::Protected, "protected"},
    {Visibility::Public, "public"},
    {Visibility::PublicProtected, "public_protected"},
}};

std::filesystem::path requiredPath(const plugin::ConfigView& config, const char* key) {
    auto value = config.get(key);
    if (!value) throw plugin::ConfigError(key, "is required: the directory b3scale keeps those recordings in");
    return std::filesystem::path(*value);
}

std::string checkedPlaybackHost(const std::string& value) {
    const std::string hint = "must be an http or https URL such as https://playback.example.com; got '" + value + "'";
    try {
        Poco::URI uri(value);
        // Poco lower-cases the scheme, so HTTPS:// is accepted as well.
        if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty())
            throw plugin::ConfigError(kPlaybackHostKey, hint);
    } catch (const Poco::Exception&) {
        throw plugin::ConfigError(kPlaybackHostKey, hint);
    }
    return value;
}

std::size_t checkedMaxBytes(const std::string& value) {
    const std::string hint = "must be a positive number of bytes such as 8388608; got '" + value + "'";
    if (value.empty() || value.size() > 12 || value.find_first_not_of("0123456789") != std::string::npos)
        throw plugin::ConfigError(kTextTrackMaxBytesKey, hint);
    const auto bytes = static_cast<std::size_t>(std::stoull(value));
    if (bytes == 0) throw plugin::ConfigError(kTextTrackMaxBytesKey, hint);
    return bytes;
}

}  // namespace

std::string_view toString(Visibility visibility) noexcept {
    for (const auto& v : kVisibilities)
        if (v.value == visibility) return v.name;
    return "published";
}

std::optional<Visibility> parseVisibility(std::string_view text) noexcept {
    for (const auto& v : kVisibilities)
        if (v.name == text) return v.value;
    return std::nullopt;
}

Settings parseSettings(const plugin::ConfigView& config) {
    Settings settings;
    settings.published_path = requiredPath(config, kPublishedPathKey);
    settings.unpublished_path = requiredPath(config, kUnpublishedPathKey);

    const std::string visibility = config.getOr(kDefaultVisibilityKey, kDefaultVisibility);
    auto parsed = parseVisibility(visibility);
    if (!parsed)
        throw plugin::ConfigError(
            kDefaultVisibilityKey,
            "accepts unpublished, published, protected, public or public_protected; got '" + visibility + "'");
    settings.default_visibility = *parsed;

    if (auto inbox = config.get(kInboxPathKey)) {
        settings.inbox_path = *inbox;
        settings.inbox_configured = true;
    } else {
        // b3scale's rule: new recordings arrive where their default visibility puts them.
        settings.inbox_path = settings.default_visibility == Visibility::Unpublished ? settings.unpublished_path
                                                                                     : settings.published_path;
    }

    if (auto host = config.get(kPlaybackHostKey)) settings.playback_host = checkedPlaybackHost(*host);

    auto quarantine = config.get(kQuarantinePathKey);
    if (quarantine && !quarantine->empty())
        settings.quarantine_path = *quarantine;
    else
        settings.quarantine_path = settings.inbox_path / kDefaultQuarantineDirName;

    settings.text_track_max_bytes = checkedMaxBytes(config.getOr(kTextTrackMaxBytesKey, kDefaultTextTrackMaxBytes));
    return settings;
}

}  // namespace b3s::recordings::filesystem
