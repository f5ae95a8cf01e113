#pragma once
// Delivers the callbacks the callback proxy accepted to frontends, in the background: GETs
// (a meeting ended) and POSTs (a recording is ready, re-signed for the frontend). One worker
// thread, attempts spaced 2, 4, 8, 16 s apart (five in all, as b3scale), success = any HTTP
// status below 400, redirects not followed; 410 Gone stops the attempts (the frontend says
// the meeting or recording no longer exists, as Scalelite's receivers answer). The backend that
// called the proxy got its answer at once; a frontend that is down for a minute still gets
// its callback. A bounded queue keeps a storm of callbacks from eating memory.

#include "cluster/backend_client.hpp"

#include <b3s/plugin/context.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace b3s::core::callbacks {

struct DispatcherOptions {
    std::vector<std::chrono::milliseconds> retry_delays{std::chrono::seconds(2), std::chrono::seconds(4),
                                                        std::chrono::seconds(8), std::chrono::seconds(16)};
    std::size_t max_queued = 10'000;
};

class CallbackDispatcher {
public:
    /// `client` (its timeouts bound one attempt) must outlive the dispatcher.
    CallbackDispatcher(cluster::BackendClient& client, DispatcherOptions options = {});
    /// Stops the worker; callbacks still queued are dropped (logged).
    ~CallbackDispatcher();
    CallbackDispatcher(const CallbackDispatcher&) = delete;
    CallbackDispatcher& operator=(const CallbackDispatcher&) = delete;

    /// Queues a GET of `url`. False when the queue is full (the callback is dropped, logged).
    bool enqueue(std::string url);
    /// Queues a POST of `body` to `url`. False when the queue is full (dropped, logged).
    bool enqueuePost(std::string url, std::string body, std::string content_type);

    /// Deliveries that succeeded / were given up / were stopped by a 410, since construction
    /// (for tests, metrics).
    std::size_t delivered() const;
    std::size_t abandoned() const;
    std::size_t gone() const;

private:
    struct Job {
        cluster::BackendRequest request;
        int attempt = 0;
        std::chrono::steady_clock::time_point due;
    };
    void work();
    bool push(Job job);

    cluster::BackendClient& client_;
    DispatcherOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Job> jobs_;
    bool stopping_ = false;
    std::size_t delivered_ = 0;
    std::size_t abandoned_ = 0;
    std::size_t gone_ = 0;
    std::thread worker_;
};

}  // namespace b3s::core::callbacks
