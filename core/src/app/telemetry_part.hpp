#pragma once
// What b3scaled counts and shows about itself, through the metrics plugin: core's counters
// and histograms, the store's query timings, the per-request counts and access log, the poll
// figures, and the figures of the moment each scrape asks for (ClusterMetrics), with each
// backend's load as the balancer weighs it.

#include "app/cluster_view_part.hpp"
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
                  ClusterViewPart& view, const Clock& clock);
    std::string_view name() const override { return "telemetry"; }
    /// Registers the scrape source and times the store.
    void start() override;
    /// Undoes start(): the plugin no longer asks the source, the store no longer times.
    void stop() noexcept override;

    const metrics::CoreMetrics& coreMetrics() const { return core_metrics_; }
    http::RequestMetrics& requestMetrics() { return request_metrics_; }
    cluster::PollFigures& pollFigures() { return poll_figures_; }
    const cluster::BackendLoads& backendLoads() const { return loads_; }

private:
    plugin::PluginSet& plugins_;
    store::Store& store_;
    const metrics::CoreMetrics core_metrics_;
    http::RequestMetrics request_metrics_;
    cluster::PollFigures poll_figures_;
    cluster::BackendLoads loads_;
    cluster::ClusterMetrics cluster_metrics_;
};

}  // namespace b3s::core::app
