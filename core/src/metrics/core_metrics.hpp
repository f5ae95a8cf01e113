#pragma once
// The counters and histograms core counts through (core's handles over the metrics plugin's;
// with no metrics plugin they are the no-op sink's and cost a virtual call). Created once at
// start-up from the sink; every handle lives as long as the sink.

#include "metrics/metric_handles.hpp"

#include <string>

namespace b3s::core::metrics {

struct CoreMetrics {
    Counter http_requests;            ///< route, method, status
    Histogram http_duration;          ///< route
    Counter placements;               ///< strategy, outcome
    Counter failovers;                ///< outcome: recreated, failed
    Counter join_checks;              ///< backend, outcome: answered, failed (joins on suspect backends)
    Counter checksum_failures;        ///< frontend ("unknown" for keys nobody has)
    Counter backend_polls;            ///< backend, outcome: success, failure
    Histogram backend_poll_duration;  ///< backend
    Histogram db_query_duration;      ///< operation
    // The callback outbox (callbacks/callback_outbox.hpp), by frontend key.
    Counter callbacks_delivered;      ///< frontend
    Counter callbacks_retried;        ///< frontend: an attempt failed, another is due
    Counter callbacks_dead_lettered;  ///< frontend: given up (attempts exhausted, 410, refused)
    Counter callbacks_refused;        ///< frontend: refused by the URL policy (also dead-lettered)
    Gauge callbacks_queued;           ///< state: the outbox cluster-wide, as last counted

    /// Registers every family with `sink`.
    static CoreMetrics create(b3s::plugin::MetricsSink& sink);
};

/// The host[:port] of a backend URL, as b3scale labels backends ("undefined" when none).
std::string backendLabel(const std::string& url);

}  // namespace b3s::core::metrics
