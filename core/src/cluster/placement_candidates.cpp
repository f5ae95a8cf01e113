#include "cluster/placement_candidates.hpp"

namespace b3s::core::cluster {

bool takesNewMeetings(const store::Backend& backend) noexcept {
    return backend.admin_state == store::AdminState::Ready;
}

bool answersCalls(const store::Backend& backend) noexcept {
    return backend.node_state != store::node_state::kOffline && backend.node_state != "error";
}

bool healthyForNewMeetings(const store::Backend& backend) noexcept {
    return backend.node_state == store::node_state::kReady || backend.node_state == store::node_state::kInit;
}

bool isLost(const store::Meeting& meeting, const store::Backend* backend) noexcept {
    return meeting.lost_at.has_value() || !meeting.backend_id || !backend || !answersCalls(*backend);
}

std::vector<plugin::BackendCandidate> placementCandidates(const ClusterSnapshot& snapshot, const Attendance& attendance,
                                                          std::int64_t now_us) {
    std::vector<plugin::BackendCandidate> candidates;
    candidates.reserve(snapshot.backends().size());
    const std::int64_t since = now_us - kRecentPlacementWindowUs;
    for (const auto& backend : snapshot.backends()) {
        plugin::BackendCandidate c;
        c.id = backend->id;
        c.host = backend->host;
        c.tags = backend->tags;
        c.load_factor = backend->load_factor;
        c.enabled = takesNewMeetings(*backend);
        c.healthy = healthyForNewMeetings(*backend);
        const auto& meetings = snapshot.meetingsOnBackend(backend->id);
        // Our own placements are exact; a poll (the controller) may know meetings we do not.
        c.meetings = std::max(static_cast<int>(meetings.size()), backend->meetings_count);
        c.attendees = attendance.backendAttendees(*backend);
        // Ordered by created_at: walk back from the newest while they are recent.
        auto first = meetings.end();
        while (first != meetings.begin() && (*(first - 1))->created_at >= since) --first;
        for (auto it = first; it != meetings.end(); ++it)
            c.recent_placements.push_back({(*it)->created_at, (*it)->size_hint});
        candidates.push_back(std::move(c));
    }
    return candidates;
}

}  // namespace b3s::core::cluster
