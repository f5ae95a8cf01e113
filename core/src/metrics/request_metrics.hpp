#pragma once
// Counts every HTTP request (b3scale_http_requests_total, b3scale_http_request_duration_seconds)
// and writes the access log: one structured line per request — method, route, status,
// latency, frontend key, backend host; never the path, the query (checksums, meeting ids,
// signed URLs) or a token.
//
// B3SCALE_ACCESS_LOG picks which requests are logged: all (default), errors (status >= 400),
// off, or a fraction such as 0.01 (that share of requests, chosen at random, and every
// server error).

#include "http/request_observer.hpp"
#include "metrics/core_metrics.hpp"

#include <optional>
#include <string>

namespace b3s::core::metrics {

struct AccessLogPolicy {
    enum class Mode { All, Errors, Off, Sample };
    Mode mode = Mode::All;
    double fraction = 1;  ///< Sample: (0, 1]

    /// Parses B3SCALE_ACCESS_LOG; nullopt for anything else.
    static std::optional<AccessLogPolicy> parse(const std::string& text);
};

class RequestMetrics final : public http::RequestObserver {
public:
    /// `metrics` must outlive this object.
    RequestMetrics(const CoreMetrics& metrics, AccessLogPolicy policy);
    void observe(const http::RequestRecord& record) noexcept override;

private:
    bool logs(int status) const noexcept;

    const CoreMetrics& metrics_;
    AccessLogPolicy policy_;
};

}  // namespace b3s::core::metrics
