#pragma once
// The threads that run request handlers for the event-driven front (http_server.hpp): a fixed
// pool taking jobs in order from one queue. The front never blocks on them; a handler that
// waits for a backend holds one worker, never the front. Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace b3s::core::http {

class RequestWorkers {
public:
    /// Starts `threads` workers (at least one), named `name` for debuggers.
    RequestWorkers(int threads, std::string name);
    ~RequestWorkers();

    /// Queues a job; it runs on a worker. After stop() a job is dropped (returns false).
    bool post(std::function<void()> job);
    /// Jobs waiting for a worker.
    std::size_t queued() const;
    /// Lets the queued jobs run, then joins every worker. Idempotent.
    void stop();

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
    std::string name_;
};

}  // namespace b3s::core::http
