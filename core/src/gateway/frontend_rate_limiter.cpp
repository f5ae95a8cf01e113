#include "gateway/frontend_rate_limiter.hpp"

#include <algorithm>

namespace b3s::core::gateway {

bool FrontendRateLimiter::allow(const std::string& frontend_id, const RateLimit& limit, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto& b = buckets_[frontend_id];
    if (b.per_second != limit.per_second || b.burst != limit.burst) {
        b = {static_cast<double>(limit.burst), now, limit.per_second, limit.burst};
    } else {
        const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
        b.tokens = std::min(static_cast<double>(b.burst), b.tokens + std::max(0.0, elapsed) * b.per_second);
        b.refilled = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
}

}  // namespace b3s::core::gateway
