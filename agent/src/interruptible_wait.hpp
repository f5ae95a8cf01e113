#pragma once
// Sleeps that end early when stop is requested, so every loop of the agent stops within
// milliseconds of SIGTERM.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace b3s::agent {

/// Waits `duration` or until `stop` is requested; true when the full time passed.
inline bool waitFor(const std::stop_token& stop, std::chrono::steady_clock::duration duration) {
    std::mutex mutex;
    std::condition_variable_any cv;
    std::unique_lock lock(mutex);
    return !cv.wait_for(lock, stop, duration, [] { return false; }) && !stop.stop_requested();
}

/// Waits until `deadline` or until `stop` is requested; true when the deadline was reached.
inline bool waitUntil(const std::stop_token& stop, std::chrono::steady_clock::time_point deadline) {
    std::mutex mutex;
    std::condition_variable_any cv;
    std::unique_lock lock(mutex);
    return !cv.wait_until(lock, stop, deadline, [] { return false; }) && !stop.stop_requested();
}

}  // namespace b3s::agent
