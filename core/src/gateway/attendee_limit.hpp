#pragma once
// A frontend's `attendees_limit` (spec gateway §3.5), checked on fresh numbers: b3scale sums
// counters that only polls refresh, so a burst of joins overshoots the limit. Here the
// attendees of the frontend's meetings come from the backends' own getMeetings answers, no
// older than `max_age`, plus every join redirected since that answer (a join counts at
// once, before the user's client has even connected). Only frontends with a limit pay for
// this; joins of other frontends never touch it.

#include "cluster/backend_api.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/fan_out.hpp"

#include <b3s/plugin/context.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace b3s::core::gateway {

class AttendeeLimit {
public:
    /// Every reference must outlive this object. `timeout` bounds one refresh.
    AttendeeLimit(const cluster::BackendApi& api, cluster::FanOut& fan_out, const plugin::Clock& clock,
                  std::chrono::milliseconds max_age, std::chrono::milliseconds timeout);

    /// Attendees in the meetings of `frontend_id` now. A backend that cannot be asked
    /// counts with its last answer (or 0, when there is none). Thread-safe.
    int attendees(const cluster::ClusterSnapshot& snapshot, const std::string& frontend_id);
    /// Counts a join redirected to `meeting_id` (encoded) until its backend is asked again.
    void joined(const std::string& backend_id, const std::string& meeting_id);
    /// Takes the participants of a controller poll (asked at `asked_at_us`) as the backend's
    /// latest answer, so a limit check within max_age of a poll asks nobody.
    void observe(const std::string& backend_id, std::int64_t asked_at_us,
                 std::unordered_map<std::string, int> participants);

private:
    struct BackendCounts {
        std::int64_t measured_at_us = 0;
        std::unordered_map<std::string, int> participants;  ///< meeting id → participantCount
        /// meeting id → when joins were redirected that the answer may not count yet
        std::unordered_map<std::string, std::vector<std::int64_t>> joins;
    };
    void refresh(const std::vector<cluster::BackendPtr>& backends);
    void storeLocked(const std::string& backend_id, std::int64_t asked_at_us,
                     std::unordered_map<std::string, int> participants);

    const cluster::BackendApi& api_;
    cluster::FanOut& fan_out_;
    const plugin::Clock& clock_;
    std::chrono::milliseconds max_age_;
    std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::map<std::string, BackendCounts> counts_;  ///< by backend id
};

}  // namespace b3s::core::gateway
