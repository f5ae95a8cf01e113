#pragma once
// Backends that should be polled before their turn: a forwarded call that found a backend
// unreachable or timed out, or an agent that fell silent, is a hint that something changed.
// Request paths only put the id here (no database round trip); the controller's scheduler
// takes them at its next tick and moves those backends' next poll to now, so a dead backend
// is noticed within the retry interval instead of the poll interval.
//
// Thread-safe.

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace b3s::core::cluster {

class PollRequests {
public:
    void request(const std::string& backend_id);
    /// Every id requested since the last call, once each.
    std::vector<std::string> take();

private:
    std::mutex mutex_;
    std::unordered_set<std::string> ids_;
};

}  // namespace b3s::core::cluster
