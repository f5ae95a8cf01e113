#pragma once
// One request slot every 1/rate seconds, shared by every client thread of the soak, so the
// traffic stays bounded (a soak measures endurance, not throughput) however the threads are
// scheduled. A thread that waited on a slow answer does not get a burst afterwards.

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

namespace b3s::test::soak {

class RateLimiter {
public:
    explicit RateLimiter(double per_second)
        : interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
              std::chrono::duration<double>(1.0 / per_second))) {}

    /// Blocks until the caller's slot has come. Thread-safe.
    void acquire() {
        std::chrono::steady_clock::time_point slot;
        {
            std::lock_guard lock(mutex_);
            slot = std::max(next_, std::chrono::steady_clock::now());
            next_ = slot + interval_;
        }
        std::this_thread::sleep_until(slot);
    }

private:
    const std::chrono::steady_clock::duration interval_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point next_{};
};

}  // namespace b3s::test::soak
