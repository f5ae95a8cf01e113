#include "app/cluster_view_part.hpp"

#include "log/logger.hpp"
#include "util/heap_trim.hpp"

namespace b3s::core::app {
namespace {

const log::Logger& viewLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

}  // namespace

ClusterViewPart::ClusterViewPart(store::Store& store) : state_(store) {
    try {
        state_.reload();
        feed_ = store.openChangeFeed();
        state_.attach(*feed_);
    } catch (const store::StoreError& e) {
        if (feed_) feed_->stop();
        throw StartupError(e.kind() == store::StoreError::Kind::Unavailable ? kExitUnavailable : kExitConfig,
                           "cluster_state_failed", {{"error", e.what()}});
    }
    const auto snapshot = state_.snapshot();
    viewLog().info("cluster_state_loaded", {{"frontends", std::to_string(snapshot->frontendCount())},
                                            {"backends", std::to_string(snapshot->backendCount())},
                                            {"meetings", std::to_string(snapshot->meetingCount())}});
    releaseFreedHeap();  // what reading every row took is garbage now
}

void ClusterViewPart::stop() noexcept {
    feed_->stop();
}

}  // namespace b3s::core::app
