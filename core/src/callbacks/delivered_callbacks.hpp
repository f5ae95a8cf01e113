#pragma once
// Once-only delivery of callbacks, for now in memory: the proxy claims a callback's dedupe
// key (callbackDedupeKey: "end:<jti>", "rec:<jti>:<record id>") before queueing it, and a
// replay of the same token finds the key taken and delivers nothing.
// TO BE REPLACED at the merge with the persistent outbox: its enqueue takes the same key as
// `dedupe_key` and drops a second job with it, across restarts and instances; this set then
// goes. Until then it holds the last `capacity` keys of this process (oldest forgotten first),
// so a replay storm cannot grow it without bound.

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace b3s::core::callbacks {

class DeliveredCallbacks {
public:
    explicit DeliveredCallbacks(std::size_t capacity = 100'000);

    /// True when `key` was not claimed yet (it is now); false for a replay. Thread-safe.
    bool claim(const std::string& key);
    /// Gives a claimed key back (the callback could not be queued, a retry may deliver it).
    /// Thread-safe.
    void release(const std::string& key);

private:
    std::size_t capacity_;
    std::mutex mutex_;
    std::unordered_set<std::string> keys_;
    std::deque<std::string> order_;  ///< claim order, for forgetting the oldest
};

}  // namespace b3s::core::callbacks
