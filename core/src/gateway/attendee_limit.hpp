#pragma once
// A frontend's `attendees_limit` (spec gateway §3.5), checked on fresh numbers: b3scale sums
// counters that only polls refresh, so a burst of joins overshoots the limit. Here the
// attendees of the frontend's meetings come from the backends' own getMeetings answers, no
// older than `max_age` and no older than the newest of those meetings, plus every join
// redirected since that answer (cluster::Attendance: a join counts at once, before the user's
// client has even connected). The controller's polls usually provide the answer; a backend
// whose last answer is too old is asked right away. Only frontends with a limit pay for this.

#include "cluster/attendance.hpp"
#include "cluster/backend_api.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/fan_out.hpp"

#include "util/clock.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace b3s::core::gateway {

class AttendeeLimit {
public:
    /// Every reference must outlive this object. `timeout` bounds one refresh.
    AttendeeLimit(cluster::Attendance& attendance, const cluster::BackendApi& api, cluster::FanOut& fan_out,
                  const Clock& clock, std::chrono::milliseconds max_age, std::chrono::milliseconds timeout);

    /// Attendees in the meetings of `frontend_id` now. A backend that cannot be asked
    /// counts with its last answer (or 0, when there is none). Thread-safe.
    int attendees(const cluster::ClusterSnapshot& snapshot, const std::string& frontend_id);

private:
    void refresh(const std::vector<cluster::BackendPtr>& backends);

    cluster::Attendance& attendance_;
    const cluster::BackendApi& api_;
    cluster::FanOut& fan_out_;
    const Clock& clock_;
    std::chrono::milliseconds max_age_;
    std::chrono::milliseconds timeout_;
};

}  // namespace b3s::core::gateway
