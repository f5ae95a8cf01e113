#pragma once
// The MetricsSink core serves on GET /metrics: Prometheus text — the families core and the
// plugins count through, the process_* families, then the sources' figures of the moment.

#include "metric_registry.hpp"
#include "process_collector.hpp"
#include "settings.hpp"

#include <b3s/plugin/context.hpp>
#include <b3s/plugin/metrics.hpp>

#include <atomic>
#include <memory>
#include <string>

namespace b3s::metrics::prometheus {

/// Renders the families of one snapshot, in a fixed order, as exposition text.
std::string renderProcessFamilies(const ProcessStats& stats);

class PrometheusSink final : public plugin::MetricsSink {
public:
    /// `logger` must outlive this object (the Context guarantees it).
    PrometheusSink(Settings settings, ProcessCollector collector, plugin::Logger& logger);

    // b3s::plugin::MetricsSink
    plugin::MetricsPage render() override;
    plugin::Counter& counter(const plugin::MetricSpec& spec) override { return registry_.counter(spec); }
    plugin::Gauge& gauge(const plugin::MetricSpec& spec) override { return registry_.gauge(spec); }
    plugin::Histogram& histogram(const plugin::MetricSpec& spec) override { return registry_.histogram(spec); }
    void addSource(const plugin::MetricsSource& source) override { registry_.addSource(source); }
    void removeSource(const plugin::MetricsSource& source) override { registry_.removeSource(source); }

private:
    Settings settings_;
    ProcessCollector collector_;
    plugin::Logger& logger_;
    MetricRegistry registry_;
    // A broken /proc stays broken; one warning is enough, not one per scrape.
    std::atomic<bool> warned_{false};
};

/// The factory exported as b3s_create_metrics. Throws plugin::ConfigError.
std::unique_ptr<plugin::MetricsSink> create(const plugin::Context& context);

}  // namespace b3s::metrics::prometheus
