#include "app/telemetry_part.hpp"

namespace b3s::core::app {

TelemetryPart::TelemetryPart(const config::CoreSettings& settings, plugin::PluginSet& plugins, store::Store& store,
                             ClusterViewPart& view, const Clock& clock)
    : plugins_(plugins),
      store_(store),
      core_metrics_(metrics::CoreMetrics::create(plugins.metrics())),
      request_metrics_(core_metrics_, settings.access_log),
      loads_(view.state(), view.attendance(), plugins.balancer(), clock),
      cluster_metrics_(view.state(), view.attendance(), poll_figures_, loads_, store, clock,
                       settings.metrics_per_meeting) {}

void TelemetryPart::start() {
    store_.timeQueries(&core_metrics_.db_query_duration);
    plugins_.metrics().addSource(cluster_metrics_);
}

void TelemetryPart::stop() noexcept {
    try {
        plugins_.metrics().removeSource(cluster_metrics_);
    } catch (const plugin::PluginCallError&) {  // logged by the guard; the source is ours to drop
    }
    store_.timeQueries(nullptr);
}

}  // namespace b3s::core::app
