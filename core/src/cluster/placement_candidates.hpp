#pragma once
// The balancer's view of the cluster at one moment, built from the in-memory cluster
// snapshot: every backend with its admin state, health, tags, weight, meeting count and the
// meetings placed on it recently (from every b3scaled instance, through the change feed).

#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"

#include <b3s/plugin/balancer.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace b3s::core::cluster {

/// Placements younger than this are listed as recent; the balancers' reservations decay
/// well within it (reserved_seats allows at most a day, but a meeting's attendees have long
/// arrived after an hour, and polls count them).
inline constexpr std::int64_t kRecentPlacementWindowUs = 3600LL * 1'000'000;

/// A node agent's host figures reach the balancer while younger than this (agents report
/// every second; ten missed heartbeats and the figures are history, not the node's state).
inline constexpr std::int64_t kHostFiguresMaxAgeUs = 10LL * 1'000'000;

/// Whether a backend's admin state lets it take new meetings (`ready`; `stopped` drains,
/// `decommissioned` drains and goes, `init` waits for an operator).
bool takesNewMeetings(const store::Backend& backend) noexcept;
/// Whether the last observation says the backend answers (node_state not `offline`/`error`;
/// `unstable` still answers; `init` — not yet polled — counts as answering: a backend needs
/// no agent to be used).
bool answersCalls(const store::Backend& backend) noexcept;
/// Whether its health lets it take new meetings: `ready`, or `init` (just added; its first
/// poll is due at once). An `unstable` backend keeps its meetings but gets no new ones.
bool healthyForNewMeetings(const store::Backend& backend) noexcept;
/// Whether a meeting must be re-created before it can be used: it was marked lost, or its
/// backend is deleted (`backend` null) or offline.
bool isLost(const store::Meeting& meeting, const store::Backend* backend) noexcept;

/// One candidate per backend of `snapshot`, in its order (by host), with the attendees
/// `attendance` counts (last poll + joins since). O(backends + recent placements).
std::vector<b3s::plugin::BackendCandidate> placementCandidates(const ClusterSnapshot& snapshot,
                                                               const Attendance& attendance, std::int64_t now_us);

/// The candidates of the previous decision, brought up to date for the next one. The view
/// changes a little at a time — a placement changes one backend's meeting list, a poll one
/// backend row — and snapshots share unchanged rows and lists, so an entry whose row and
/// meeting list are the very objects it was built from is kept; the others are rebuilt in
/// place, reusing their strings' and vectors' storage. Meeting lists are only looked up in
/// the groups that changed (ClusterSnapshot::meetingListGroup). Same result as
/// placementCandidates(), for O(backends) pointer compares and a few lookups instead of
/// O(backends) lookups and allocations (at 1,000 backends ~470 µs per decision before).
/// Not thread-safe: its owner serialises the calls (MeetingPlacer: under its mutex).
class CandidateSet {
public:
    /// Brings the candidates up to `snapshot` at `now_us`. `attendance_changed`: joins or
    /// answers arrived since the last refresh, so every backend's attendees are counted again.
    /// Returns the snapshot it followed until now: often its last holder, so let it go outside
    /// any lock (freeing a snapshot frees the parts it did not share, ~10 µs and more).
    [[nodiscard]] std::shared_ptr<const ClusterSnapshot> refresh(std::shared_ptr<const ClusterSnapshot> snapshot,
                                                                 const Attendance& attendance, bool attendance_changed,
                                                                 std::int64_t now_us);
    /// In the snapshot's backend order. The caller may adjust an entry, then must call
    /// markChanged() for it so that the next refresh rebuilds it from the snapshot.
    std::vector<b3s::plugin::BackendCandidate>& candidates() noexcept { return candidates_; }
    std::optional<std::size_t> find(std::string_view backend_id) const;
    void markChanged(std::size_t i) noexcept { sources_[i].changed = true; }

private:
    struct Source {
        BackendPtr row;                                     ///< the row the entry was built from
        const std::vector<MeetingPtr>* meetings = nullptr;  ///< and its meeting list (of snapshot_)
        std::size_t group = 0;                              ///< ClusterSnapshot::meetingListGroupOf(id)
        bool changed = true;
    };
    /// No recent placement of any entry is older than this (a lower bound): until the
    /// window's start passes it, nothing ages out and unchanged entries are not visited.
    std::int64_t oldest_recent_us_ = 0;
    /// Keeps the rows and lists compared against alive, so an address is never reused.
    std::shared_ptr<const ClusterSnapshot> snapshot_;
    std::vector<b3s::plugin::BackendCandidate> candidates_;
    std::vector<Source> sources_;
    std::unordered_map<std::string, std::size_t> index_;  ///< backend id → position
};

}  // namespace b3s::core::cluster
