#include "app/recordings_part.hpp"

#include "recordings/visibility.hpp"

namespace b3s::core::app {
namespace {

recordings::FrontendResolver resolverOver(const gateway::ClusterFrontendDirectory& directory) {
    return [&directory](std::string_view key) -> std::optional<recordings::FrontendRef> {
        const auto entry = directory.findByKey(key);
        if (!entry) return std::nullopt;
        recordings::FrontendRef ref{entry->frontend.id, entry->frontend.key, std::nullopt};
        if (entry->settings.recordings_visibility_override)
            ref.visibility_override = recordings::parseVisibility(*entry->settings.recordings_visibility_override);
        return ref;
    };
}

std::optional<recordings::PlaybackTokens> playbackTokens(const config::CoreSettings& s, const Clock& clock) {
    if (s.jwt_secret.empty()) return std::nullopt;
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    return std::optional<recordings::PlaybackTokens>(
        std::in_place, s.jwt_secret, clock, duration_cast<seconds>(s.recordings_link_ttl).count(),
        duration_cast<seconds>(s.recordings_cookie_ttl).count(), s.jwt_secret_previous);
}

}  // namespace

RecordingsPart::RecordingsPart(const config::CoreSettings& settings, store::Store& store, plugin::PluginSet& plugins,
                               ClusterViewPart& view, const Clock& clock)
    : frontends_(view.state()),
      library_(store, plugins.recordings(), resolverOver(frontends_)),
      tokens_(playbackTokens(settings, clock)),
      gate_(store, plugins.recordings(), tokens_ ? &*tokens_ : nullptr,
            {settings.api_url, settings.recordings_cookie_domain}),
      watcher_(library_, settings.recordings_inbox_scan_interval),
      watch_(plugins.recordings().enabled() && settings.recordings_inbox_scan_interval.count() > 0) {}

void RecordingsPart::start() {
    if (watch_) watcher_.start();
}

void RecordingsPart::stop() noexcept {
    watcher_.stop();
}

}  // namespace b3s::core::app
