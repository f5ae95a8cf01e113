#pragma once
// SIGTERM, SIGINT and SIGQUIT ask the agent to stop; a second one ends it at once. SIGHUP is
// logged and ignored (there is nothing to reload). The signals are blocked in the constructing thread before any other
// thread exists (threads inherit the mask) and taken by one thread of their own with
// sigwait(3) (core's ProcessSignals), so no thread is ever interrupted by a handler.

#include <atomic>
#include <functional>
#include <thread>

namespace b3s::agent {

class SignalWatch {
public:
    /// Call in the main thread before any other thread starts. `on_stop` runs on the watch's
    /// thread, for the first stop signal.
    explicit SignalWatch(std::function<void(int signal)> on_stop);
    ~SignalWatch();
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;

private:
    std::function<void(int)> on_stop_;
    std::atomic<bool> closing_{false};  ///< set before the destructor wakes the thread
    std::thread thread_;
};

}  // namespace b3s::agent
