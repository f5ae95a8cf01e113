#pragma once
// Lets a repeating failure be logged once per interval instead of once per attempt (a dead
// b3scaled would otherwise cost a line a second), and says how many were left out.

#include <chrono>
#include <cstddef>
#include <optional>

namespace b3s::agent {

class LogThrottle {
public:
    using Clock = std::chrono::steady_clock;
    explicit LogThrottle(std::chrono::milliseconds interval = std::chrono::seconds(30)) : interval_(interval) {}

    /// Whether a line may be written at `now`; when it may, the number of lines suppressed
    /// since the last one written. Not thread-safe: one throttle per thread.
    std::optional<std::size_t> allow(Clock::time_point now = Clock::now()) {
        if (logged_ && now - last_ < interval_) {
            ++suppressed_;
            return std::nullopt;
        }
        logged_ = true;
        last_ = now;
        const auto n = suppressed_;
        suppressed_ = 0;
        return n;
    }
    /// Forgets the past: the next failure is logged at once (after a success).
    void reset() {
        logged_ = false;
        suppressed_ = 0;
    }

private:
    std::chrono::milliseconds interval_;
    bool logged_ = false;
    Clock::time_point last_{};
    std::size_t suppressed_ = 0;
};

}  // namespace b3s::agent
