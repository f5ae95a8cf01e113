#pragma once
// Tells a wedged loop from a busy one, for the systemd watchdog. A loop is stalled when work
// was waiting for it and its progress counter stood still for longer than `limit`, through
// every sample in between. An idle loop (nothing waiting) or one that moves at all, however
// slowly, is never stalled: a merely busy server must never be killed.
//
// Thread-safety: one sampling thread.

#include <chrono>
#include <cstdint>

namespace b3s::core {

class StallWatch {
public:
    using Clock = std::chrono::steady_clock;

    explicit StallWatch(Clock::duration limit) : limit_(limit) {}

    /// One sample: the loop's progress counter (grows with every piece of work done) and
    /// whether work is waiting for it. True once it has been stuck longer than the limit.
    bool stalled(std::uint64_t progress, bool waiting, Clock::time_point now) {
        if (!waiting || progress != last_progress_) {
            last_progress_ = progress;
            stuck_ = false;
            return false;
        }
        if (!stuck_) {
            stuck_ = true;
            stuck_since_ = now;
        }
        return now - stuck_since_ > limit_;
    }

private:
    Clock::duration limit_;
    std::uint64_t last_progress_ = 0;
    bool stuck_ = false;  ///< waiting without progress since stuck_since_
    Clock::time_point stuck_since_{};
};

}  // namespace b3s::core
