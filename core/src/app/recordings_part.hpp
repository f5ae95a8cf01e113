#pragma once
// Recordings: core's index of them (in the store) kept in step with the recordings plugin's
// files by one RecordingLibrary, the inbox watcher that imports what BBB nodes publish, the
// protected-playback tokens and gate. Without a recordings plugin the index still answers
// (recordings then play from the BBB nodes themselves) and no watcher runs.

#include "app/cluster_view_part.hpp"
#include "app/part.hpp"
#include "config/core_settings.hpp"
#include "gateway/cluster_frontend_directory.hpp"
#include "gateway/playback_gate.hpp"
#include "plugin/plugin_set.hpp"
#include "recordings/inbox_watcher.hpp"
#include "recordings/playback_tokens.hpp"
#include "recordings/recording_library.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

#include <memory>
#include <optional>

namespace b3s::core::app {

class RecordingsPart final : public Part {
public:
    RecordingsPart(const config::CoreSettings& settings, store::Store& store, plugin::PluginSet& plugins,
                   ClusterViewPart& view, const Clock& clock);
    std::string_view name() const override { return "recordings"; }
    /// Starts the inbox watcher (when a plugin is loaded and the scan interval is not 0).
    void start() override;
    void stop() noexcept override;

    recordings::RecordingLibrary& library() { return library_; }
    /// nullptr without B3SCALE_API_JWT_SECRET.
    const recordings::PlaybackTokens* tokens() const { return tokens_ ? &*tokens_ : nullptr; }
    const gateway::PlaybackGate& gate() const { return gate_; }
    recordings::InboxWatcher& watcher() { return watcher_; }

private:
    gateway::ClusterFrontendDirectory frontends_;
    recordings::RecordingLibrary library_;
    std::optional<recordings::PlaybackTokens> tokens_;
    gateway::PlaybackGate gate_;
    recordings::InboxWatcher watcher_;
    bool watch_ = false;
};

}  // namespace b3s::core::app
