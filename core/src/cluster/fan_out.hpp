#pragma once
// Runs a batch of independent tasks in parallel on a fixed set of worker threads and waits
// for them up to a deadline (getMeetings over many backends, attendee counts). A task that
// misses the deadline keeps running on its worker; its result is simply not waited for, so
// one hanging backend costs its own answer, never the whole request.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace b3s::core::cluster {

class FanOut {
public:
    /// Starts `threads` workers (at least 1).
    explicit FanOut(std::size_t threads);
    /// Lets queued and running tasks finish, then joins the workers.
    ~FanOut();
    FanOut(const FanOut&) = delete;
    FanOut& operator=(const FanOut&) = delete;

    /// Runs every task and returns, per task, whether it finished before `deadline`. Tasks
    /// must not throw (an exception is caught and counts as unfinished) and must keep what
    /// they write alive themselves (shared_ptr), since a late one may outlive this call.
    /// Thread-safe.
    std::vector<bool> runAll(std::vector<std::function<void()>> tasks, std::chrono::steady_clock::time_point deadline);

private:
    void work();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace b3s::core::cluster
