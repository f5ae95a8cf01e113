#pragma once
// Where a join finds its meeting. The in-memory view answers nearly always; a meeting it lacks
// may have been created a moment ago through another instance (the change feed brings it
// within ~100 ms, or only seconds after PostgreSQL is back), so before a join sends a user
// "meeting not found" the store is asked once and the view updated. Hits cost nothing extra.
// A store that cannot answer is said so: "not found" would be a lie then (the meeting may be
// running), so the join answers "try again" instead. The queries (isMeetingRunning,
// getMeetingInfo) keep answering from memory alone, so they never wait for a frozen database.

#include "cluster/cluster_state.hpp"
#include "gateway/gateway_context.hpp"

#include <string_view>

namespace b3s::core::gateway {

struct MeetingLookup {
    cluster::MeetingPtr meeting;     ///< nullptr: not found (or not known, see below)
    bool store_unavailable = false;  ///< the view lacks it and the store could not be asked
};

/// The meeting `encoded` of `frontend_id`: from `snapshot`, else from the store (then put into
/// the view). Never throws a StoreError.
MeetingLookup findMeeting(const GatewayContext& context, const cluster::ClusterSnapshot& snapshot,
                          std::string_view frontend_id, std::string_view encoded);

}  // namespace b3s::core::gateway
