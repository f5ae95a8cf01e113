#include "app/telemetry_part.hpp"

namespace b3s::core::app {

TelemetryPart::TelemetryPart(const config::CoreSettings& settings, plugin::PluginSet& plugins, store::Store& store,
                             const MetricsPart& metrics, ClusterViewPart& view, const Clock& clock)
    : plugins_(plugins),
      request_metrics_(metrics.coreMetrics(), settings.access_log),
      loads_(view.state(), view.attendance(), plugins.balancer(), clock),
      cluster_metrics_(view.state(), view.attendance(), poll_figures_, loads_, store, clock,
                       settings.metrics_per_meeting) {}

void TelemetryPart::start() {
    plugins_.metrics().addSource(cluster_metrics_);
}

void TelemetryPart::stop() noexcept {
    try {
        plugins_.metrics().removeSource(cluster_metrics_);
    } catch (const plugin::PluginCallError&) {  // logged by the guard; the source is ours to drop
    }
}

}  // namespace b3s::core::app
