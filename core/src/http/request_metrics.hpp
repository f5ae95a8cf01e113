#pragma once
// Counts every HTTP request (b3scale_http_requests_total, b3scale_http_request_duration_seconds)
// and writes the access log: one structured line per request — method, route, status,
// latency, frontend key, backend host; never the path, the query (checksums, meeting ids,
// signed URLs) or a token.
//
// Which requests are logged: config::AccessLogPolicy (B3SCALE_ACCESS_LOG).

#include "config/access_log_policy.hpp"
#include "http/request_observer.hpp"
#include "metrics/core_metrics.hpp"

namespace b3s::core::http {

class RequestMetrics final : public RequestObserver {
public:
    /// `metrics` must outlive this object.
    RequestMetrics(const metrics::CoreMetrics& metrics, config::AccessLogPolicy policy);
    void observe(const RequestRecord& record) noexcept override;

private:
    bool logs(int status) const noexcept;

    const metrics::CoreMetrics& metrics_;
    config::AccessLogPolicy policy_;
};

}  // namespace b3s::core::http
