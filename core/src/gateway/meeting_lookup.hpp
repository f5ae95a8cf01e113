#pragma once
// Where a join finds its meeting. The in-memory view answers nearly always; a meeting it lacks
// may have been created a moment ago through another instance (the change feed brings it
// within ~100 ms, or only seconds after PostgreSQL is back), so before a join sends a user
// "meeting not found" the store is asked once and the view updated. Hits cost nothing extra;
// a store that cannot answer leaves the view's answer. The queries (isMeetingRunning,
// getMeetingInfo) keep answering from memory alone, so they never wait for a frozen database.

#include "cluster/cluster_state.hpp"
#include "gateway/gateway_context.hpp"

#include <string_view>

namespace b3s::core::gateway {

/// The meeting `encoded` of `frontend_id`: from `snapshot`, else from the store (then put into
/// the view). nullptr when neither has it. Never throws a StoreError.
cluster::MeetingPtr findMeeting(const GatewayContext& context, const cluster::ClusterSnapshot& snapshot,
                                std::string_view frontend_id, std::string_view encoded);

}  // namespace b3s::core::gateway
