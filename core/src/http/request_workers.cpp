#include "http/request_workers.hpp"

#include <algorithm>

#include <pthread.h>

namespace b3s::core::http {

RequestWorkers::RequestWorkers(int threads, std::string name) : name_(std::move(name)) {
    const int count = std::max(threads, 1);
    threads_.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) threads_.emplace_back([this] { run(); });
}

RequestWorkers::~RequestWorkers() {
    stop();
}

bool RequestWorkers::post(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return false;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

std::size_t RequestWorkers::queued() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void RequestWorkers::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

void RequestWorkers::run() {
    // Linux allows 15 characters.
    pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left to run
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();  // jobs catch their own failures (http_server.cpp)
        lock.lock();
    }
}

}  // namespace b3s::core::http
