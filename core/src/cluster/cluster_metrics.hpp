#pragma once
// The figures of the moment for each scrape, from memory only — the in-memory cluster view,
// this instance's attendance and poll figures, the store's pool — never a database query or
// a backend call, so a scrape costs the same with ten backends or a thousand:
//
//   b3scale's families (names, types, labels and help as b3scale, so dashboards keep working;
//   its bugs fixed — video attendees counted, durations a gauge of seconds since the meeting
//   started):
//     b3scale_meeting_attendees{frontend,backend,type,meeting}   per meeting, type audio|video
//     b3scale_meeting_durations{frontend,backend,meeting}         running meetings, seconds
//     b3scale_frontend_meetings{frontend}, b3scale_backend_meetings{backend},
//     b3scale_frontend_attendees{frontend}
//   ours, per backend: health and admin state (one series per state, 1 for the current one),
//   poll latency, age of the last successful poll, agent heartbeat age, attendees, load
//   factor and load as the loaded balancer weighs it (BackendLoads); lost meetings; the database pool;
//   whether the view is stale.
//
// The per-meeting families can be switched off for large clusters (B3SCALE_PER_MEETING_METRICS).

#include "cluster/attendance.hpp"
#include "cluster/backend_loads.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/poll_figures.hpp"
#include "store/store.hpp"

#include <b3s/plugin/metrics.hpp>
#include "util/clock.hpp"

namespace b3s::core::cluster {

class ClusterMetrics final : public b3s::plugin::MetricsSource {
public:
    /// Every reference must outlive the source's registration.
    ClusterMetrics(const ClusterState& cluster, const Attendance& attendance, const PollFigures& figures,
                   const BackendLoads& loads, const store::Store& store, const Clock& clock, bool per_meeting);

    void collect(std::vector<b3s::plugin::CollectedFamily>& out) const override;

private:
    const ClusterState& cluster_;
    const Attendance& attendance_;
    const PollFigures& figures_;
    const BackendLoads& loads_;
    const store::Store& store_;
    const Clock& clock_;
    bool per_meeting_;
};

}  // namespace b3s::core::cluster
