#pragma once
// b3scaled's connections to its backends: pooled keep-alive clients with the timeouts of
// their use — forwarded calls, getMeetings fan-outs, polls — and the worker threads fan-outs
// run on. (Callbacks to frontends have a client of their own, callbacks/callback_outbox.hpp.)

#include "app/cluster_view_part.hpp"
#include "app/part.hpp"
#include "cluster/backend_api.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/fan_out.hpp"
#include "config/core_settings.hpp"

#include <optional>

namespace b3s::core::app {

class BackendLinksPart final : public Part {
public:
    BackendLinksPart(const config::CoreSettings& settings, ClusterViewPart& view);
    std::string_view name() const override { return "backend_links"; }
    /// Lets queued and running fan-out tasks finish and joins their workers.
    void stop() noexcept override;

    /// Forwarded calls; a backend found unreachable is polled early.
    const cluster::BackendApi& calls() const { return calls_api_; }
    /// getMeetings fan-outs, bounded by B3SCALE_GET_MEETINGS_TIMEOUT_MS.
    const cluster::BackendApi& fanOutCalls() const { return fan_out_api_; }
    /// A join's check of a suspect backend, bounded by B3SCALE_JOIN_CHECK_TIMEOUT_MS.
    const cluster::BackendApi& checks() const { return check_api_; }
    /// The controller's polls, bounded by B3SCALE_POLL_TIMEOUT_MS.
    const cluster::BackendApi& polls() const { return poll_api_; }
    cluster::FanOut& fanOut() { return *fan_out_; }
    /// Connect plus response timeout of one poll.
    std::chrono::milliseconds pollDeadline() const { return poll_deadline_; }

private:
    cluster::BackendClient calls_client_;
    cluster::BackendClient fan_out_client_;
    cluster::BackendClient poll_client_;
    cluster::BackendClient check_client_;
    const cluster::BackendApi calls_api_;
    const cluster::BackendApi fan_out_api_;
    const cluster::BackendApi poll_api_;
    const cluster::BackendApi check_api_;
    std::chrono::milliseconds poll_deadline_;
    std::optional<cluster::FanOut> fan_out_;  ///< last: its tasks use the clients above
};

}  // namespace b3s::core::app
