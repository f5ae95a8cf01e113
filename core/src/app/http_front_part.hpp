#pragma once
// b3scaled's listener (B3SCALE_LISTEN_HTTP) and its routes: probes and /metrics, the BBB
// API, the callback proxy, the retry-join page, the REST API — and, with
// B3SCALE_METRICS_LISTEN, a second one serving /metrics alone (then absent from the first).
// Bound when built (a busy port fails start-up), accepting from start(), drained by stop(): no
// new connections, in-flight requests finish within B3SCALE_SHUTDOWN_GRACE, the access log is
// written out.

#include "app/api_part.hpp"
#include "app/gateway_part.hpp"
#include "app/part.hpp"
#include "app/recordings_part.hpp"
#include "app/telemetry_part.hpp"
#include "cluster/cluster_state.hpp"
#include "config/core_settings.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "log/deferred_log_flusher.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"

#include <memory>
#include <optional>

namespace b3s::core::app {

class HttpFrontPart final : public Part {
public:
    /// Throws StartupError (listen_failed) when the address cannot be bound.
    HttpFrontPart(const config::CoreSettings& settings, store::Store& store, const cluster::ClusterState& cluster,
                  plugin::PluginSet& plugins, TelemetryPart& telemetry, const GatewayPart& gateway, const ApiPart& api,
                  const RecordingsPart& recordings);
    std::string_view name() const override { return "http_front"; }
    void start() override;
    void stop() noexcept override;

    config::ListenAddress boundAddress() const { return server_->boundAddress(); }
    /// The main listener's progress, for the watchdog.
    http::HttpServer::Progress progress() const { return server_->progress(); }
    /// The /metrics listener's address, when it has its own.
    std::optional<config::ListenAddress> metricsAddress() const;

private:
    std::chrono::seconds grace_;
    Poco::SharedPtr<http::Router> router_;
    std::unique_ptr<http::HttpServer> server_;
    Poco::SharedPtr<http::Router> metrics_router_;
    std::unique_ptr<http::HttpServer> metrics_server_;    ///< with B3SCALE_METRICS_LISTEN
    std::optional<log::DeferredLogFlusher> log_flusher_;  ///< access-log batches, at least every 100 ms
};

}  // namespace b3s::core::app
