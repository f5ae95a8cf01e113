#include "gateway/meeting_lookup.hpp"

#include "log/logger.hpp"

#include <memory>

namespace b3s::core::gateway {

MeetingLookup findMeeting(const GatewayContext& context, const cluster::ClusterSnapshot& snapshot,
                          std::string_view frontend_id, std::string_view encoded) {
    if (auto meeting = snapshot.meeting(frontend_id, encoded)) return {std::move(meeting)};
    try {
        auto row = context.store.findMeeting(frontend_id, encoded);
        if (!row) return {};
        context.cluster.put(*row);
        return {std::make_shared<const store::Meeting>(std::move(*row))};
    } catch (const store::StoreError& e) {
        static log::Logger lookupLog("b3s.core.gateway");
        lookupLog.debug("meeting_lookup_store_unavailable", {{"error", e.what()}});
        return {nullptr, true};
    }
}

}  // namespace b3s::core::gateway
