#pragma once
// Core's counters and histograms over the metrics plugin's handles (CoreMetrics), and the
// store's query timings through them. Started right after the plugins so that everything
// that counts or touches the store — the change feed included — has stopped before these
// handles go.

#include "app/part.hpp"
#include "metrics/core_metrics.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"

namespace b3s::core::app {

class MetricsPart final : public Part {
public:
    MetricsPart(plugin::PluginSet& plugins, store::Store& store);
    std::string_view name() const override { return "metrics"; }
    /// The store times every operation from now on.
    void start() override;
    /// It stops timing: no part that uses the store runs any more.
    void stop() noexcept override;

    const metrics::CoreMetrics& coreMetrics() const { return core_metrics_; }

private:
    store::Store& store_;
    const metrics::CoreMetrics core_metrics_;
};

}  // namespace b3s::core::app
