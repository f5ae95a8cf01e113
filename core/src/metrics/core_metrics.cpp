#include "metrics/core_metrics.hpp"

#include <string>

namespace b3s::core::metrics {
namespace {

// Seconds: from a loopback redirect (tens of µs) to a backend that takes its time.
const std::vector<double> kLatencyBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

}  // namespace

CoreMetrics CoreMetrics::create(b3s::plugin::MetricsSink& sink) {
    return CoreMetrics{
        Counter(sink.counter({"b3scale_http_requests_total",
                              "HTTP requests answered, by route, method and status.",
                              {"route", "method", "status"},
                              {}})),
        Histogram(sink.histogram({"b3scale_http_request_duration_seconds",
                                  "Time to answer an HTTP request, by route and status.",
                                  {"route", "status"},
                                  kLatencyBuckets})),
        Counter(sink.counter({"b3scale_placements_total",
                              "Placement decisions for new meetings, by balancer strategy and outcome.",
                              {"strategy", "outcome"},
                              {}})),
        Counter(sink.counter({"b3scale_failovers_total",
                              "Meetings lost with their backend and re-created elsewhere, by outcome.",
                              {"outcome"},
                              {}})),
        Counter(sink.counter({"b3scale_join_backend_checks_total",
                              "Checks of a suspect backend before a join is sent there, by backend and outcome "
                              "(failed: the meeting is re-created elsewhere).",
                              {"backend", "outcome"},
                              {}})),
        Counter(sink.counter({"b3scale_checksum_failures_total",
                              "BBB API calls refused for a wrong checksum or an unknown frontend, by frontend.",
                              {"frontend"},
                              {}})),
        Counter(sink.counter({"b3scale_backend_polls_total",
                              "Polls of backends (getMeetings), by backend and outcome.",
                              {"backend", "outcome"},
                              {}})),
        Histogram(sink.histogram({"b3scale_backend_poll_duration_seconds",
                                  "Time a backend took to answer a poll.",
                                  {"backend"},
                                  kLatencyBuckets})),
        Histogram(sink.histogram({"b3scale_db_query_duration_seconds",
                                  "Time of one store operation, by operation.",
                                  {"operation"},
                                  kLatencyBuckets})),
        Counter(sink.counter({"b3scale_callbacks_delivered_total",
                              "Callbacks to frontends delivered (answered below 400) by this instance, by frontend.",
                              {"frontend"},
                              {}})),
        Counter(sink.counter({"b3scale_callbacks_retried_total",
                              "Callback attempts that failed and were scheduled again, by frontend.",
                              {"frontend"},
                              {}})),
        Counter(sink.counter({"b3scale_callbacks_dead_lettered_total",
                              "Callbacks given up (attempts exhausted, 410 Gone, refused by the URL policy), by "
                              "frontend.",
                              {"frontend"},
                              {}})),
        Counter(sink.counter({"b3scale_callbacks_refused_total",
                              "Callbacks refused by the callback URL policy (B3SCALE_CALLBACK_ALLOW/DENY), by "
                              "frontend.",
                              {"frontend"},
                              {}})),
        Gauge(sink.gauge({"b3scale_callbacks_queued",
                          "Callbacks in the outbox cluster-wide, by state (pending, delivering, delivered, dead).",
                          {"state"},
                          {}})),
    };
}

std::string backendLabel(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return url.empty() ? "undefined" : url;
    const auto start = scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    auto host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    // Never a password a URL may carry.
    if (const auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    return host.empty() ? "undefined" : host;
}

}  // namespace b3s::core::metrics
