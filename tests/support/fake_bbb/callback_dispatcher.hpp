#pragma once
// Fires BBB's meeting-ended callbacks (HTTP GET) on one background thread, best effort,
// and remembers what happened so tests can assert on it.

#include "fake_bbb/fake_bbb_types.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace b3s::test::bbb {

class CallbackDispatcher {
public:
    /// `timeout` bounds connecting, sending and receiving of each callback.
    explicit CallbackDispatcher(std::chrono::milliseconds timeout);
    /// Drops callbacks not started yet; waits for the one in flight (bounded by the timeout).
    ~CallbackDispatcher();
    CallbackDispatcher(const CallbackDispatcher&) = delete;
    CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

    void enqueue(std::string url);
    /// Every callback attempted so far, in order. Thread-safe.
    std::vector<CallbackRecord> delivered() const;
    /// Waits until at least `count` callbacks were attempted; false on timeout.
    bool waitFor(std::size_t count, std::chrono::milliseconds timeout) const;

private:
    void run();
    CallbackRecord deliver(const std::string& url) const;

    const std::chrono::milliseconds timeout_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::deque<std::string> queue_;
    std::vector<CallbackRecord> delivered_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace b3s::test::bbb
