#include "app/metrics_part.hpp"

namespace b3s::core::app {

MetricsPart::MetricsPart(plugin::PluginSet& plugins, store::Store& store)
    : store_(store), core_metrics_(metrics::CoreMetrics::create(plugins.metrics())) {}

void MetricsPart::start() {
    store_.timeQueries(&core_metrics_.db_query_duration);
}

void MetricsPart::stop() noexcept {
    store_.timeQueries(nullptr);
}

}  // namespace b3s::core::app
