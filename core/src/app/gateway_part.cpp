#include "app/gateway_part.hpp"

#include <b3s/support/purpose_keys.hpp>
#include <b3s/support/verification_keys.hpp>
#include "gateway/bbb_calls.hpp"

namespace b3s::core::app {
namespace {

using std::chrono::milliseconds;

// How fresh the backends' own attendee counts must be for an attendee limit.
constexpr milliseconds kAttendeeCountMaxAge{2000};

gateway::IngressLimits ingressLimits(const config::CoreSettings& s, const metrics::CoreMetrics& m) {
    gateway::IngressLimits limits;
    limits.max_query_bytes = static_cast<std::size_t>(s.bbb_max_query_bytes);
    limits.max_body_bytes = static_cast<std::size_t>(s.bbb_max_body_bytes);
    limits.checksum_algorithms = 0;
    for (const auto& name : s.bbb_checksum_algorithms)
        if (const auto algorithm = bbb::checksumAlgorithmNamed(name))
            limits.checksum_algorithms |= bbb::checksumAlgorithmBit(*algorithm);
    limits.accept_form_bodies = s.bbb_accept_form_bodies;
    limits.checksum_failures = &m.checksum_failures;
    return limits;
}

gateway::GatewayOptions gatewayOptions(const config::CoreSettings& s, const plugin::PluginSet& plugins) {
    gateway::GatewayOptions o;
    o.api_url = s.api_url;
    o.jwt_secret = s.jwt_secret;
    o.callback_key = support::derivePurposeKey(s.jwt_secret, support::KeyPurpose::CallbackToken);
    o.callback_token_ttl_s = s.callback_token_ttl_s;
    o.callback_policy = callbacks::CallbackUrlPolicy(s.callback_allow, s.callback_deny);
    o.get_meetings_timeout = milliseconds(s.get_meetings_timeout_ms);
    o.balancer = plugins.nameOf("balancer");
    return o;
}

callbacks::OutboxOptions outboxOptions(const config::CoreSettings& s) {
    callbacks::OutboxOptions o;
    o.workers = s.callback_workers;
    o.per_frontend = s.callback_per_frontend;
    o.attempt_timeout = s.callback_timeout;
    o.max_attempts = s.callback_max_attempts;
    o.dead_letter_retention = s.callback_dead_letter_retention;
    return o;
}

callbacks::CallbackProxyOptions callbackProxyOptions(const config::CoreSettings& s) {
    callbacks::CallbackProxyOptions o;
    o.keys = support::deriveVerificationKeys(s.jwt_secret, s.jwt_secret_previous, support::KeyPurpose::CallbackToken);
    o.grace = s.callback_grace;
    return o;
}

}  // namespace

GatewayPart::GatewayPart(const config::CoreSettings& settings, store::Store& store, plugin::PluginSet& plugins,
                         ClusterViewPart& view, BackendLinksPart& links, const MetricsPart& metrics,
                         RecordingsPart& recordings, const Clock& clock)
    : frontends_(view.state()),
      ingress_(frontends_, ingressLimits(settings, metrics.coreMetrics())),
      placer_(view.state(), store, plugins.balancer(), view.attendance(), clock),
      attendee_limit_(view.attendance(), links.fanOutCalls(), links.fanOut(), clock, kAttendeeCountMaxAge,
                      milliseconds(settings.get_meetings_timeout_ms)),
      join_failover_(view.pollRequests(), links.checks()),
      context_{view.state(),
               store,
               placer_,
               links.calls(),
               links.fanOutCalls(),
               links.fanOut(),
               view.attendance(),
               attendee_limit_,
               join_failover_,
               metrics.coreMetrics(),
               clock,
               gatewayOptions(settings, plugins)},
      // The upload's size is the plugin's to limit (B3SCALE_RECORDINGS_TEXT_TRACK_MAX_BYTES);
      // the ingress bounds every body.
      recording_calls_({recordings.library(), store, recordings.tokens(), settings.api_url,
                        static_cast<std::size_t>(settings.bbb_max_body_bytes)}),
      callback_outbox_(store, view.state(),
                       callbacks::CallbackUrlPolicy(settings.callback_allow, settings.callback_deny),
                       metrics.coreMetrics(), clock, outboxOptions(settings)),
      callback_proxy_(view.state(), store, callback_outbox_, clock, callbackProxyOptions(settings)),
      retry_join_(settings.jwt_secret, settings.jwt_secret_previous, context_.options.retry_join_refresh_s, clock) {
    gateway::registerBbbCalls(ingress_, context_, recording_calls_);
}

void GatewayPart::start() {
    callback_outbox_.start();
    callback_proxy_.start();
}

void GatewayPart::stop() noexcept {
    callback_proxy_.stop();  // it queues into the outbox
    callback_outbox_.stop();
}

}  // namespace b3s::core::app
