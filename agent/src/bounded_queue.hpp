#pragma once
// A FIFO between threads with a bound: producers that must never block (the redis reader)
// use tryPush and drop when it is full; producers that may wait use push; control items
// (pushControl) bypass the bound so a stop or a seed never gets lost. Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stop_token>

namespace b3s::agent {

template <class T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

    /// Appends unless the queue holds `capacity` items; false when it did not.
    bool tryPush(T item) {
        {
            std::lock_guard lock(mutex_);
            if (items_.size() >= capacity_) return false;
            items_.push_back(std::move(item));
        }
        not_empty_.notify_one();
        return true;
    }

    /// Appends, waiting while the queue is full; false when `stop` was requested first.
    bool push(T item, const std::stop_token& stop) {
        {
            std::unique_lock lock(mutex_);
            if (!not_full_.wait(lock, stop, [&] { return items_.size() < capacity_; }) || stop.stop_requested())
                return false;
            items_.push_back(std::move(item));
        }
        not_empty_.notify_one();
        return true;
    }

    /// Appends whatever the queue holds.
    void pushControl(T item) {
        {
            std::lock_guard lock(mutex_);
            items_.push_back(std::move(item));
        }
        not_empty_.notify_one();
    }

    /// The oldest item, waiting for one; nullopt when `stop` was requested (items or not).
    std::optional<T> pop(const std::stop_token& stop) {
        std::optional<T> item;
        {
            std::unique_lock lock(mutex_);
            if (!not_empty_.wait(lock, stop, [&] { return !items_.empty(); }) || stop.stop_requested())
                return std::nullopt;
            item.emplace(std::move(items_.front()));
            items_.pop_front();
        }
        not_full_.notify_one();
        return item;
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return items_.size();
    }
    std::size_t capacity() const noexcept { return capacity_; }

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable_any not_empty_;
    std::condition_variable_any not_full_;
    std::deque<T> items_;
};

}  // namespace b3s::agent
