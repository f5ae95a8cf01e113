#pragma once
// The BBB API b3scale serves: ingress (tenant, checksum, limits), placement through the
// balancer plugin, the calls, attendee limits, the callback proxy with its outbox and the
// retry-join page.

#include "app/backend_links_part.hpp"
#include "app/cluster_view_part.hpp"
#include "app/metrics_part.hpp"
#include "app/part.hpp"
#include "app/recordings_part.hpp"
#include "callbacks/callback_outbox.hpp"
#include "callbacks/callback_proxy.hpp"
#include "cluster/meeting_placer.hpp"
#include "config/core_settings.hpp"
#include "gateway/attendee_limit.hpp"
#include "gateway/bbb_ingress.hpp"
#include "gateway/cluster_frontend_directory.hpp"
#include "gateway/gateway_context.hpp"
#include "gateway/join_failover.hpp"
#include "gateway/recording_calls.hpp"
#include "gateway/retry_join_page.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

#include <optional>

namespace b3s::core::app {

class GatewayPart final : public Part {
public:
    GatewayPart(const config::CoreSettings& settings, store::Store& store, plugin::PluginSet& plugins,
                ClusterViewPart& view, BackendLinksPart& links, const MetricsPart& metrics, RecordingsPart& recordings,
                const Clock& clock);
    std::string_view name() const override { return "gateway"; }
    /// Starts delivering callbacks from the outbox.
    void start() override;
    /// Stops claiming callbacks; attempts under way finish. Those still queued stay in the
    /// outbox for the next start or another instance.
    void stop() noexcept override;

    const gateway::BbbIngress& ingress() const { return ingress_; }
    const callbacks::CallbackProxy& callbackProxy() const { return callback_proxy_; }
    const gateway::RetryJoinPage& retryJoin() const { return retry_join_; }

private:
    gateway::ClusterFrontendDirectory frontends_;
    gateway::BbbIngress ingress_;
    cluster::MeetingPlacer placer_;
    gateway::AttendeeLimit attendee_limit_;
    gateway::JoinFailover join_failover_;
    const gateway::GatewayContext context_;
    const gateway::RecordingCalls recording_calls_;
    callbacks::CallbackOutbox callback_outbox_;
    callbacks::CallbackProxy callback_proxy_;
    const gateway::RetryJoinPage retry_join_;
};

}  // namespace b3s::core::app
