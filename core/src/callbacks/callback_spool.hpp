#pragma once
// Callbacks a backend sent while the store could not be asked: genuine tokens (their signature
// and expiry need no store) whose liveness check and queueing wait here until the store
// answers again. BBB sends its meeting-ended callback once; answering 503 during a database
// outage would lose it. Kept in memory, in arrival order, bounded; a spooled callback is
// judged as of its arrival (the grace counts from then) and retried every `retry_interval`
// by one thread. Lost only if this process stops before the store is back (logged).

#include "callbacks/callback_outbox.hpp"
#include "callbacks/callback_token.hpp"
#include "store/records.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace b3s::core::callbacks {

struct SpooledCallback {
    CallbackTarget target;
    CallbackJob job;
    store::Micros received_at = 0;
};

class CallbackSpool {
public:
    /// `admit` checks and queues one callback; false: the store is still unavailable (the
    /// callback stays, and the rest wait behind it).
    using Admit = std::function<bool(const SpooledCallback&)>;

    CallbackSpool(std::size_t capacity, std::chrono::milliseconds retry_interval, Admit admit);
    /// stop()s.
    ~CallbackSpool();
    CallbackSpool(const CallbackSpool&) = delete;
    CallbackSpool& operator=(const CallbackSpool&) = delete;

    void start();
    /// Stops retrying; what is still spooled is dropped (logged with its count). Idempotent.
    void stop() noexcept;

    /// Keeps `callback` for later; false when the spool is full. Thread-safe.
    bool push(SpooledCallback callback);
    std::size_t size() const;

private:
    void retryLoop();

    const std::size_t capacity_;
    const std::chrono::milliseconds retry_interval_;
    const Admit admit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<SpooledCallback> waiting_;
    bool running_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace b3s::core::callbacks
