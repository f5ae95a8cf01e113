#pragma once
// Told about every request the router dispatched, after its answer went out (metrics and the
// access log: core/src/http/request_metrics.hpp).

#include "http/request_trace.hpp"

#include <chrono>
#include <string>

namespace b3s::core::http {

struct RequestRecord {
    std::string method;
    int status = 0;
    std::chrono::microseconds latency{0};
    const RequestTrace* trace = nullptr;  ///< route, frontend, backend; valid during the call
};

class RequestObserver {
public:
    virtual ~RequestObserver() = default;
    /// Called on the request's thread. Must not throw.
    virtual void observe(const RequestRecord& record) noexcept = 0;
};

}  // namespace b3s::core::http
