#pragma once
// Counts every HTTP request (b3scale_http_requests_total, b3scale_http_request_duration_seconds)
// and writes the access log: one structured line per request — method, route, status,
// latency, frontend key, backend host; never the path, the query (checksums, meeting ids,
// signed URLs) or a token.
//
// Which requests are logged: config::AccessLogPolicy (B3SCALE_ACCESS_LOG), swapped on SIGHUP
// while requests run: it is read on every request, so it lives in one lock-free atomic word.

#include "config/access_log_policy.hpp"
#include "http/request_observer.hpp"
#include "metrics/core_metrics.hpp"

#include <atomic>

namespace b3s::core::http {

class RequestMetrics final : public RequestObserver {
public:
    /// `metrics` must outlive this object.
    RequestMetrics(const metrics::CoreMetrics& metrics, config::AccessLogPolicy policy);
    void observe(const RequestRecord& record) noexcept override;

    /// Any thread; requests observed after it returns follow `policy`.
    void setPolicy(const config::AccessLogPolicy& policy) noexcept;
    config::AccessLogPolicy policy() const noexcept;

private:
    /// The policy in 8 bytes, so that std::atomic holds it without a lock.
    struct PackedPolicy {
        config::AccessLogPolicy::Mode mode;
        float fraction;
    };
    static_assert(std::atomic<PackedPolicy>::is_always_lock_free);

    bool logs(int status) const noexcept;

    const metrics::CoreMetrics& metrics_;
    std::atomic<PackedPolicy> policy_;
};

}  // namespace b3s::core::http
