#pragma once
// Backends that should be polled before their turn: a forwarded call that found a backend
// unreachable or timed out, or an agent that fell silent, is a hint that something changed.
// Request paths only put the id here (no database round trip); the controller's scheduler
// takes them at its next tick and moves those backends' next poll to now, so a dead backend
// is noticed within the retry interval instead of the poll interval.
//
// The same reports are remembered until the backend answers again (a good poll, or a good
// check, asked after the failure): a join of a meeting on a backend that failed a call since
// then checks the backend before redirecting anyone there (gateway/join_failover). Asking
// whether a backend failed costs one atomic load while no backend did.
//
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace b3s::core::cluster {

class PollRequests {
public:
    /// Asks for an early poll of the backend.
    void request(const std::string& backend_id);
    /// Every id requested since the last call, once each.
    std::vector<std::string> take();

    /// A call to the backend got no BBB answer: asks for an early poll and remembers the
    /// failure until an answer to a question asked after it (answered()).
    void callFailed(const std::string& backend_id);
    /// Whether the backend failed a call that no later answer has made up for.
    bool failedSinceLastAnswer(std::string_view backend_id) const;
    /// Taken before asking a backend anything; passed to answered() if it answers.
    using Ticket = std::uint64_t;
    Ticket ticket() const noexcept { return failures_seen_.load(); }
    /// The backend answered a question asked when `asked` was taken: failures recorded
    /// before that are forgotten, later ones (the backend may have died since) are kept.
    void answered(const std::string& backend_id, Ticket asked);

private:
    mutable std::mutex mutex_;
    std::unordered_set<std::string> ids_;
    /// backend id → number of the latest failure (failures_seen_ when it was recorded).
    std::unordered_map<std::string, Ticket> failed_;
    std::atomic<Ticket> failures_seen_{0};
    std::atomic<std::size_t> failing_{0};  ///< failed_.size(), read without the lock
};

}  // namespace b3s::core::cluster
