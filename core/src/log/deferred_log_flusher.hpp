#pragma once
// Writes out the sink's deferred lines (the access log) every `interval` while it lives, and
// once more when it goes, so a quiet server's last requests show up within the interval.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace b3s::core::log {

class DeferredLogFlusher {
public:
    explicit DeferredLogFlusher(std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    ~DeferredLogFlusher();
    DeferredLogFlusher(const DeferredLogFlusher&) = delete;
    DeferredLogFlusher& operator=(const DeferredLogFlusher&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;  ///< last: started after the members it uses
};

}  // namespace b3s::core::log
