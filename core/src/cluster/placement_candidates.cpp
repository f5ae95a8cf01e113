#include "cluster/placement_candidates.hpp"

#include <algorithm>
#include <array>
#include <limits>

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

namespace {

std::optional<b3s::plugin::HostFigures> hostFigures(const store::Backend& backend, std::int64_t now_us) {
    const auto& r = backend.agent_report;
    if (!r || now_us - r->at > kHostFiguresMaxAgeUs) return std::nullopt;
    if (!r->cpu && !r->memory && !r->network_rx_bytes_per_s && !r->network_tx_bytes_per_s) return std::nullopt;
    b3s::plugin::HostFigures h;
    h.at_us = r->at;
    h.cpu = r->cpu.value_or(-1);
    h.memory = r->memory.value_or(-1);
    h.network_rx_bytes_per_s = r->network_rx_bytes_per_s.value_or(-1);
    h.network_tx_bytes_per_s = r->network_tx_bytes_per_s.value_or(-1);
    return h;
}

// Fills `c` from the row and its meetings, reusing the storage `c` already has.
void fill(b3s::plugin::BackendCandidate& c, const store::Backend& backend, const std::vector<MeetingPtr>& meetings,
          const Attendance& attendance, std::int64_t since, std::int64_t now_us) {
    c.id = backend.id;
    c.host = backend.host;
    c.tags = backend.tags;
    c.load_factor = backend.load_factor;
    c.enabled = takesNewMeetings(backend);
    c.healthy = healthyForNewMeetings(backend);
    // Our own placements are exact; a poll (the controller) may know meetings we do not.
    c.meetings = std::max(static_cast<int>(meetings.size()), backend.meetings_count);
    c.attendees = attendance.backendAttendees(backend);
    c.host_figures = hostFigures(backend, now_us);
    // Ordered by created_at: walk back from the newest while they are recent.
    auto first = meetings.end();
    while (first != meetings.begin() && (*(first - 1))->created_at >= since) --first;
    c.recent_placements.clear();
    for (auto it = first; it != meetings.end(); ++it)
        c.recent_placements.push_back({(*it)->created_at, (*it)->size_hint});
}

}  // namespace

std::vector<b3s::plugin::BackendCandidate> placementCandidates(const ClusterSnapshot& snapshot,
                                                               const Attendance& attendance, std::int64_t now_us) {
    std::vector<b3s::plugin::BackendCandidate> candidates(snapshot.backends().size());
    const std::int64_t since = now_us - kRecentPlacementWindowUs;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& backend = *snapshot.backends()[i];
        fill(candidates[i], backend, snapshot.meetingsOnBackend(backend.id), attendance, since, now_us);
    }
    return candidates;
}

std::shared_ptr<const ClusterSnapshot> CandidateSet::refresh(std::shared_ptr<const ClusterSnapshot> snapshot,
                                                             const Attendance& attendance, bool attendance_changed,
                                                             std::int64_t now_us) {
    const auto& backends = snapshot->backends();
    const std::int64_t since = now_us - kRecentPlacementWindowUs;
    // Backends are ordered by host: unless one came or went, each stays at its position.
    bool same_layout = snapshot_ && backends.size() == candidates_.size();
    for (std::size_t i = 0; same_layout && i < backends.size(); ++i)
        same_layout = sources_[i].row == backends[i] || candidates_[i].id == backends[i]->id;
    if (!same_layout) {
        candidates_.resize(backends.size());
        sources_.assign(backends.size(), Source{});
        index_.clear();
        for (std::size_t i = 0; i < backends.size(); ++i) {
            index_.emplace(backends[i]->id, i);
            sources_[i].group = ClusterSnapshot::meetingListGroupOf(backends[i]->id);
        }
    }
    std::array<bool, ClusterSnapshot::kMeetingListGroups> group_changed{};
    for (std::size_t g = 0; g < group_changed.size(); ++g)
        group_changed[g] = !snapshot_ || snapshot->meetingListGroup(g) != snapshot_->meetingListGroup(g);
    const bool aging = since > oldest_recent_us_;
    std::int64_t oldest = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < backends.size(); ++i) {
        const auto& row = backends[i];
        auto& source = sources_[i];
        auto& c = candidates_[i];
        bool same = !source.changed && source.row == row;
        if (same && group_changed[source.group]) same = source.meetings == &snapshot->meetingsOnBackend(row->id);
        if (!same) {
            const auto& meetings = snapshot->meetingsOnBackend(row->id);
            fill(c, *row, meetings, attendance, since, now_us);
            source.row = row;
            source.meetings = &meetings;
            source.changed = false;
        } else {
            if (attendance_changed) c.attendees = attendance.backendAttendees(*row);
            // An agent that fell silent: its figures age out although its row stays the same.
            if (c.host_figures && now_us - c.host_figures->at_us > kHostFiguresMaxAgeUs) c.host_figures.reset();
            if (aging) {
                // Placements age out of the recent window (oldest first).
                auto& recent = c.recent_placements;
                auto aged = recent.begin();
                while (aged != recent.end() && aged->at_us < since) ++aged;
                recent.erase(recent.begin(), aged);
            } else {
                continue;  // not visited: `oldest` keeps the lower bound from before
            }
        }
        if (!c.recent_placements.empty()) oldest = std::min(oldest, c.recent_placements.front().at_us);
    }
    oldest_recent_us_ = aging ? oldest : std::min(oldest_recent_us_, oldest);
    std::swap(snapshot_, snapshot);
    return snapshot;
}

std::optional<std::size_t> CandidateSet::find(std::string_view backend_id) const {
    const auto it = index_.find(std::string(backend_id));
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

}  // namespace b3s::core::cluster
