#pragma once
// The counters and histograms core counts through (the SDK's metrics interface; with no
// metrics plugin they are the no-op sink's handles and cost a virtual call). Created once at
// start-up from the sink; every handle lives as long as the sink.

#include <b3s/plugin/metrics.hpp>

namespace b3s::core::metrics {

struct CoreMetrics {
    plugin::Counter& http_requests;         ///< route, method, status
    plugin::Histogram& http_duration;       ///< route
    plugin::Counter& placements;            ///< strategy, outcome
    plugin::Counter& failovers;             ///< outcome: recreated, failed
    plugin::Counter& checksum_failures;     ///< frontend ("unknown" for keys nobody has)
    plugin::Counter& backend_polls;         ///< backend, outcome: success, failure
    plugin::Histogram& backend_poll_duration;  ///< backend
    plugin::Histogram& db_query_duration;   ///< operation

    /// Registers every family with `sink`.
    static CoreMetrics create(plugin::MetricsSink& sink);
};

/// The host[:port] of a backend URL, as b3scale labels backends ("undefined" when none).
std::string backendLabel(const std::string& url);

}  // namespace b3s::core::metrics
