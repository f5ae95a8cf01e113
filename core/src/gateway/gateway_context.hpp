#pragma once
// What the BBB call handlers share: the in-memory cluster view, the store, the placer, the
// backend clients, the clock and the gateway's options. Built once in the server app; every
// reference outlives the handlers.

#include "callbacks/callback_url_policy.hpp"
#include "cluster/attendance.hpp"
#include "cluster/backend_api.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/meeting_placer.hpp"
#include "metrics/core_metrics.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace b3s::core::cluster {
class FanOut;
}

namespace b3s::core::gateway {

class AttendeeLimit;
class JoinFailover;

struct GatewayOptions {
    std::string api_url;     ///< public base URL of b3scale, no trailing slash
    std::string jwt_secret;  ///< signs retry-join links
    /// Signs callback tokens: derivePurposeKey(master, KeyPurpose::CallbackToken).
    std::string callback_key;
    std::int64_t callback_token_ttl_s = 14 * 24 * 3600;
    /// Where callbacks may go (B3SCALE_CALLBACK_ALLOW/DENY): a create whose callback URL it
    /// refuses from the URL alone is refused at once; names are judged again at connect time.
    callbacks::CallbackUrlPolicy callback_policy;
    std::int64_t retry_join_ttl_s = 600;  ///< a retry-join link's lifetime
    int retry_join_refresh_s = 2;         ///< the retry page re-requests the join after this
    std::chrono::milliseconds get_meetings_timeout{5000};
    std::string balancer;  ///< the balancer plugin's name, for the placement metrics
};

struct GatewayContext {
    cluster::ClusterState& cluster;
    store::Store& store;
    cluster::MeetingPlacer& placer;
    const cluster::BackendApi& backends;     ///< forwarded calls (create, join, end, …)
    const cluster::BackendApi& fan_out_api;  ///< getMeetings fan-out, with its own timeout
    cluster::FanOut& fan_out;
    cluster::Attendance& attendance;  ///< every join is counted here until the next poll
    AttendeeLimit& attendee_limit;
    JoinFailover& join_failover;  ///< joins of meetings on suspect or lost backends
    const metrics::CoreMetrics& metrics;
    const Clock& clock;
    GatewayOptions options;

    std::int64_t nowSeconds() const { return clock.nowMicros() / 1'000'000; }
};

}  // namespace b3s::core::gateway
