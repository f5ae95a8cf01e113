#include "app/gateway_part.hpp"

#include <b3s/support/purpose_keys.hpp>
#include "gateway/bbb_calls.hpp"

namespace b3s::core::app {
namespace {

using std::chrono::milliseconds;

// How fresh the backends' own attendee counts must be for an attendee limit.
constexpr milliseconds kAttendeeCountMaxAge{2000};

gateway::IngressLimits ingressLimits(const config::CoreSettings& s, const metrics::CoreMetrics& m) {
    return {static_cast<std::size_t>(s.bbb_max_query_bytes), static_cast<std::size_t>(s.bbb_max_body_bytes),
            &m.checksum_failures};
}

gateway::GatewayOptions gatewayOptions(const config::CoreSettings& s, const plugin::PluginSet& plugins) {
    gateway::GatewayOptions o;
    o.api_url = s.api_url;
    o.jwt_secret = s.jwt_secret;
    o.callback_key = support::derivePurposeKey(s.jwt_secret, support::KeyPurpose::CallbackToken);
    o.callback_token_ttl_s = s.callback_token_ttl_s;
    o.get_meetings_timeout = milliseconds(s.get_meetings_timeout_ms);
    o.balancer = plugins.nameOf("balancer");
    return o;
}

callbacks::CallbackProxyOptions callbackProxyOptions(const config::CoreSettings& s) {
    callbacks::CallbackProxyOptions o;
    o.key = support::derivePurposeKey(s.jwt_secret, support::KeyPurpose::CallbackToken);
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
      context_{view.state(),
               store,
               placer_,
               links.calls(),
               links.fanOutCalls(),
               links.fanOut(),
               view.attendance(),
               attendee_limit_,
               metrics.coreMetrics(),
               clock,
               gatewayOptions(settings, plugins)},
      // The upload's size is the plugin's to limit (B3SCALE_RECORDINGS_TEXT_TRACK_MAX_BYTES);
      // the ingress bounds every body.
      recording_calls_({recordings.library(), store, recordings.tokens(), settings.api_url,
                        static_cast<std::size_t>(settings.bbb_max_body_bytes)}),
      callback_dispatcher_(std::in_place, links.callbackClient()),
      callback_proxy_(view.state(), store, *callback_dispatcher_, clock, callbackProxyOptions(settings)),
      retry_join_(settings.jwt_secret, context_.options.retry_join_refresh_s, clock) {
    gateway::registerBbbCalls(ingress_, context_, recording_calls_);
}

void GatewayPart::stop() noexcept {
    callback_dispatcher_.reset();
}

}  // namespace b3s::core::app
