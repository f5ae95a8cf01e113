#include "callbacks/callback_spool.hpp"

#include "log/logger.hpp"

#include <string>
#include <utility>

namespace b3s::core::callbacks {
namespace {

log::Logger& spoolLog() {
    static log::Logger l("b3s.core.callbacks");
    return l;
}

}  // namespace

CallbackSpool::CallbackSpool(std::size_t capacity, std::chrono::milliseconds retry_interval, Admit admit)
    : capacity_(capacity), retry_interval_(retry_interval), admit_(std::move(admit)) {}

CallbackSpool::~CallbackSpool() {
    stop();
}

void CallbackSpool::start() {
    std::lock_guard lock(mutex_);
    if (running_) return;
    running_ = true;
    stopping_ = false;
    thread_ = std::thread([this] { retryLoop(); });
}

void CallbackSpool::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        if (!running_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    running_ = false;
    if (!waiting_.empty())
        spoolLog().warn("callback_spool_dropped", {{"callbacks", std::to_string(waiting_.size())},
                                                   {"reason", "stopped before the store was back"}});
    waiting_.clear();
}

bool CallbackSpool::push(SpooledCallback callback) {
    std::lock_guard lock(mutex_);
    if (waiting_.size() >= capacity_) return false;
    waiting_.push_back(std::move(callback));
    return true;
}

std::size_t CallbackSpool::size() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

void CallbackSpool::retryLoop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, retry_interval_, [this] { return stopping_; });
        std::size_t admitted = 0;
        while (!stopping_ && !waiting_.empty()) {
            // Admitted outside the lock (a store round trip); only this thread pops.
            SpooledCallback next = waiting_.front();
            lock.unlock();
            const bool done = admit_(next);
            lock.lock();
            if (!done) break;
            waiting_.pop_front();
            ++admitted;
        }
        if (admitted > 0)
            spoolLog().info("callback_spool_drained", {{"callbacks", std::to_string(admitted)},
                                                       {"still_waiting", std::to_string(waiting_.size())}});
    }
}

}  // namespace b3s::core::callbacks
