#pragma once
// The balancer's view of the cluster at one moment, built from the in-memory cluster
// snapshot: every backend with its admin state, health, tags, weight, meeting count and the
// meetings placed on it recently (from every b3scaled instance, through the change feed).

#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"

#include <b3s/plugin/balancer.hpp>

#include <cstdint>
#include <vector>

namespace b3s::core::cluster {

/// Placements younger than this are listed as recent; the balancers' reservations decay
/// well within it (reserved_seats allows at most a day, but a meeting's attendees have long
/// arrived after an hour, and polls count them).
inline constexpr std::int64_t kRecentPlacementWindowUs = 3600LL * 1'000'000;

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
std::vector<plugin::BackendCandidate> placementCandidates(const ClusterSnapshot& snapshot, const Attendance& attendance,
                                                          std::int64_t now_us);

}  // namespace b3s::core::cluster
