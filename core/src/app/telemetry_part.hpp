#pragma once
// What b3scaled shows about the cluster and its requests, through the metrics plugin: the
// per-request counts and the access log, the poll figures, and the figures of the moment each
// scrape asks for (ClusterMetrics), with each backend's load as the balancer weighs it.

#include "app/cluster_view_part.hpp"
#include "app/metrics_part.hpp"
#include "app/part.hpp"
#include "cluster/backend_loads.hpp"
#include "cluster/cluster_metrics.hpp"
#include "cluster/poll_figures.hpp"
#include "config/core_settings.hpp"
#include "http/request_metrics.hpp"
#include "metrics/core_metrics.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace b3s::core::app {

class TelemetryPart final : public Part {
public:
    TelemetryPart(const config::CoreSettings& settings, plugin::PluginSet& plugins, store::Store& store,
                  const MetricsPart& metrics, ClusterViewPart& view, const Clock& clock);
    std::string_view name() const override { return "telemetry"; }
    /// Registers the scrape source.
    void start() override;
    /// The plugin no longer asks the source.
    void stop() noexcept override;

    http::RequestMetrics& requestMetrics() { return request_metrics_; }
    cluster::PollFigures& pollFigures() { return poll_figures_; }
    const cluster::BackendLoads& backendLoads() const { return loads_; }

private:
    plugin::PluginSet& plugins_;
    http::RequestMetrics request_metrics_;
    cluster::PollFigures poll_figures_;
    cluster::BackendLoads loads_;
    cluster::ClusterMetrics cluster_metrics_;
};

}  // namespace b3s::core::app
