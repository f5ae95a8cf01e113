#pragma once
// What this instance knows of the cluster, in memory: frontends, backends and placements
// (ClusterState, loaded at start and followed through the store's change feed), who attends
// where (Attendance) and which backends want an early poll (PollRequests). The hot paths read
// only this.

#include "app/part.hpp"
#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/poll_requests.hpp"
#include "store/change_feed.hpp"
#include "store/store.hpp"

#include <memory>

namespace b3s::core::app {

class ClusterViewPart final : public Part {
public:
    /// Loads the view and follows the feed. Throws StartupError (cluster_state_failed).
    explicit ClusterViewPart(store::Store& store);
    std::string_view name() const override { return "cluster_view"; }
    /// Stops following the feed.
    void stop() noexcept override;

    cluster::ClusterState& state() { return state_; }
    cluster::Attendance& attendance() { return attendance_; }
    cluster::PollRequests& pollRequests() { return poll_requests_; }

private:
    cluster::ClusterState state_;
    cluster::Attendance attendance_;
    cluster::PollRequests poll_requests_;
    std::unique_ptr<store::ChangeFeed> feed_;
};

}  // namespace b3s::core::app
