#pragma once
// A tenant's BBB calls per second on this b3scaled instance (its settings' rate_limit): one
// token bucket per frontend, `burst` calls at once and `per_second` more each second. Buckets
// of frontends whose limit changed start full again; nothing is kept for frontends without a
// limit. Thread-safe; one short critical section per call.

#include "gateway/frontend_settings.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace b3s::core::gateway {

class FrontendRateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    /// Whether the frontend may make one more call at `now` (and takes its token).
    bool allow(const std::string& frontend_id, const RateLimit& limit, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point refilled{};
        double per_second = 0;
        int burst = 0;
    };
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace b3s::core::gateway
