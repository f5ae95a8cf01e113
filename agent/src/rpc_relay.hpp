#pragma once
// Sends RelayCalls to b3scaled, one connection per lane. A call that gets no answer (b3scaled
// away, 5xx, 429) is retried with backoff on its lane, so the meeting's later events wait
// behind it and the order holds; an answer is final: {"status":"ok"} is relayed,
// {"status":"error"} is logged and not retried, and so is any other refusal.
//
// A meeting b3scaled does not know within the 15 s it waits for one ("meeting not found within
// deadline": someone uses this BBB directly, not through b3scale) would hold its lane 15 s per
// event; its RPCs are skipped for kUnknownMeetingPause after that answer (logged once), so
// the meetings that share the lane keep moving.

#include "b3scaled_api.hpp"
#include "backoff.hpp"
#include "relay_call.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

namespace b3s::agent {

class RpcRelay {
public:
    using ApiFactory = std::function<std::unique_ptr<B3scaledApi>()>;
    static constexpr std::chrono::minutes kUnknownMeetingPause{5};

    RpcRelay(std::size_t lanes, const ApiFactory& make_api, BackoffPolicy retry = {});

    /// Sends `call` on `lane` until b3scaled answers or `stop` is requested. Only the lane's
    /// thread calls this for its lane.
    void relay(std::size_t lane, const RelayCall& call, const std::stop_token& stop);

    /// Aborts the requests in flight on every lane (any thread).
    void interrupt();

    struct Stats {
        std::uint64_t relayed = 0;  ///< answered ok
        std::uint64_t refused = 0;  ///< answered with an error, not retried
        std::uint64_t retries = 0;  ///< attempts that got no answer
        std::uint64_t skipped = 0;  ///< RPCs for a meeting b3scaled did not know, not sent
    };
    Stats stats() const;

private:
    struct Lane {
        std::unique_ptr<B3scaledApi> api;
        Backoff backoff;
        /// Meetings b3scaled did not know, until when their RPCs are skipped.
        std::unordered_map<std::string, std::chrono::steady_clock::time_point> unknown_until;
    };
    /// Whether `call` is for a meeting whose RPCs are paused (and forgets expired pauses).
    static bool paused(Lane& lane, const RelayCall& call);

    std::vector<Lane> lanes_;
    std::atomic<std::uint64_t> skipped_{0};
    std::atomic<std::uint64_t> relayed_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::uint64_t> retries_{0};
};

}  // namespace b3s::agent
