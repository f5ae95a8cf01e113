#include "cluster/fan_out.hpp"

#include "log/logger.hpp"

#include <memory>

namespace b3s::core::cluster {
namespace {

log::Logger& fanOutLog() {
    static log::Logger l("b3s.core.cluster");
    return l;
}

struct Batch {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<bool> finished;
    std::size_t remaining = 0;
};

}  // namespace

FanOut::FanOut(std::size_t threads) {
    if (threads == 0) threads = 1;
    workers_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

FanOut::~FanOut() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
}

void FanOut::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, nothing left
            task = std::move(queue_.front());
            queue_.pop_front();
        }
        task();
    }
}

std::vector<bool> FanOut::runAll(std::vector<std::function<void()>> tasks,
                                 std::chrono::steady_clock::time_point deadline) {
    auto batch = std::make_shared<Batch>();
    batch->finished.assign(tasks.size(), false);
    batch->remaining = tasks.size();
    {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            queue_.push_back([batch, i, task = std::move(tasks[i])] {
                bool ok = true;
                try {
                    task();
                } catch (const std::exception& e) {
                    ok = false;
                    fanOutLog().error("fan_out_task_failed", {{"error", e.what()}});
                }
                std::lock_guard lock(batch->mutex);
                batch->finished[i] = ok;
                --batch->remaining;
                batch->done.notify_all();
            });
        }
    }
    wake_.notify_all();
    std::unique_lock lock(batch->mutex);
    batch->done.wait_until(lock, deadline, [&] { return batch->remaining == 0; });
    return batch->finished;
}

}  // namespace b3s::core::cluster
