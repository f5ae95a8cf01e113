#pragma once
// A fixed number of serial lanes, each a thread working through a bounded FIFO. An item goes
// to the lane its key hashes to, so the items of one key (the events of one meeting) are
// handled one after the other in the order they came, while other keys proceed on the other
// lanes. Thread-safe.

#include "bounded_queue.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string_view>
#include <thread>
#include <vector>

namespace b3s::agent {

/// FNV-1a of `key`, modulo `lanes`: the same key always gets the same lane. Pure.
inline std::size_t laneFor(std::string_view key, std::size_t lanes) noexcept {
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : key) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return static_cast<std::size_t>(hash % lanes);
}

template <class Item>
class SerialLanes {
public:
    /// Handles one item on lane `lane`; may block (retries) until `stop` is requested.
    using Worker = std::function<void(std::size_t lane, Item& item, const std::stop_token& stop)>;

    SerialLanes(std::size_t lanes, std::size_t capacity_per_lane, Worker worker) : worker_(std::move(worker)) {
        for (std::size_t i = 0; i < lanes; ++i)
            queues_.push_back(std::make_unique<BoundedQueue<Item>>(capacity_per_lane));
        for (std::size_t i = 0; i < lanes; ++i)
            threads_.emplace_back([this, i](const std::stop_token& stop) { run(i, stop); });
    }
    ~SerialLanes() { stop(); }
    SerialLanes(const SerialLanes&) = delete;
    SerialLanes& operator=(const SerialLanes&) = delete;

    std::size_t size() const noexcept { return queues_.size(); }

    /// Queues `item` on the lane of `key`, waiting while that lane is full; false when `stop`
    /// was requested first.
    bool push(std::string_view key, Item item, const std::stop_token& stop) {
        return queues_[laneFor(key, queues_.size())]->push(std::move(item), stop);
    }

    /// Items waiting on all lanes (not counting those being handled).
    std::size_t pending() const {
        std::size_t n = 0;
        for (const auto& q : queues_) n += q->size();
        return n;
    }

    /// Asks every lane to stop after the item it is handling (its worker sees the stop);
    /// waiting items are dropped.
    void requestStop() {
        for (auto& t : threads_) t.request_stop();
    }
    /// requestStop(), then returns when the threads have ended.
    void stop() {
        requestStop();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

private:
    void run(std::size_t lane, const std::stop_token& stop) {
        while (auto item = queues_[lane]->pop(stop)) worker_(lane, *item, stop);
    }

    Worker worker_;
    std::vector<std::unique_ptr<BoundedQueue<Item>>> queues_;
    std::vector<std::jthread> threads_;  ///< last: started after the queues they use
};

}  // namespace b3s::agent
