#include "app/http_front_part.hpp"

#include "api/api_routes.hpp"
#include "app/probe_routes.hpp"
#include "callbacks/callback_token.hpp"
#include "gateway/retry_join_link.hpp"
#include "log/logger.hpp"

namespace b3s::core::app {
namespace {

const log::Logger& frontLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

}  // namespace

HttpFrontPart::HttpFrontPart(const config::CoreSettings& settings, store::Store& store,
                             const cluster::ClusterState& cluster, plugin::PluginSet& plugins, TelemetryPart& telemetry,
                             const GatewayPart& gateway, const ApiPart& api, const RecordingsPart& recordings)
    : grace_(settings.shutdown_grace_s), router_(new http::Router) {
    auto& router = *router_;
    router.setObserver(&telemetry.requestMetrics());
    router.setTrustedProxies(settings.trusted_proxies);
    addProbeRoutes(router, store, cluster, plugins);
    if (!settings.metrics_listen) addMetricsRoute(router, plugins, settings.metrics_token);
    router.addPrefix(
        {"GET", "POST"}, "/bbb/",
        [&ingress = gateway.ingress()](auto& request, auto& response) { ingress.handle(request, response); }, "bbb");
    router.addPrefix(
        {"GET", "POST"}, std::string(callbacks::kCallbackProxyPath),
        [&proxy = gateway.callbackProxy()](auto& request, auto& response) { proxy.handle(request, response); },
        "callback");
    router.addPrefix(
        {"GET"}, std::string(gateway::kRetryJoinPathPrefix),
        [&page = gateway.retryJoin()](auto& request, auto& response) { page.handle(request, response); }, "retry_join");
    router.addPrefix(
        {"GET"}, std::string(gateway::kProtectedRecordingsPath),
        [&gate = recordings.gate()](auto& request, auto& response) { gate.handle(request, response); }, "playback");
    // After the callback proxy and protected playback, which share the prefix. RestApi
    // answers 405 itself.
    const std::vector<std::string> every_method = {"GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"};
    const auto rest = [&rest_api = api.restApi()](auto& request, auto& response) {
        rest_api.handle(request, response);
    };
    router.add(every_method, api::kApiPrefix, rest, "api");
    router.addPrefix(every_method, std::string(api::kApiPrefix) + "/", rest, "api");
    try {
        server_ = std::make_unique<http::HttpServer>(settings, router_);
    } catch (const Poco::Exception& e) {
        throw StartupError(
            kExitConfig, "listen_failed",
            {{"variable", "B3SCALE_LISTEN_HTTP"}, {"address", settings.listen.toString()}, {"error", e.displayText()}});
    }
    if (settings.metrics_listen) {
        metrics_router_ = new http::Router;
        metrics_router_->setObserver(&telemetry.requestMetrics());
        metrics_router_->setTrustedProxies(settings.trusted_proxies);
        addMetricsRoute(*metrics_router_, plugins, settings.metrics_token);
        // A scraper or two: a few threads, the main listener's timeouts.
        auto metrics_settings = settings;
        metrics_settings.listen = *settings.metrics_listen;
        metrics_settings.http_max_threads = 4;
        try {
            metrics_server_ = std::make_unique<http::HttpServer>(metrics_settings, metrics_router_);
        } catch (const Poco::Exception& e) {
            throw StartupError(kExitConfig, "listen_failed",
                               {{"variable", "B3SCALE_METRICS_LISTEN"},
                                {"address", settings.metrics_listen->toString()},
                                {"error", e.displayText()}});
        }
    }
}

std::optional<config::ListenAddress> HttpFrontPart::metricsAddress() const {
    if (!metrics_server_) return std::nullopt;
    return metrics_server_->boundAddress();
}

void HttpFrontPart::start() {
    log_flusher_.emplace();
    server_->start();
    if (metrics_server_) metrics_server_->start();
}

void HttpFrontPart::stop() noexcept {
    frontLog().info("shutdown_started", {{"grace_s", std::to_string(grace_.count())}});
    if (metrics_server_) metrics_server_->shutdown(grace_);
    const bool drained = server_->shutdown(grace_);
    frontLog().info("http_stopped", {{"drained", drained ? "true" : "false"}});
    metrics_server_.reset();
    server_.reset();
    log_flusher_.reset();  // writes the last access-log lines
}

}  // namespace b3s::core::app
