#pragma once
// Sends RelayCalls to b3scaled, one connection per lane. A call that gets no answer (b3scaled
// away, 5xx, 429) is retried with backoff on its lane, so the meeting's later events wait
// behind it and the order holds; an answer is final: {"status":"ok"} is relayed,
// {"status":"error"} (e.g. the meeting is not known within b3scaled's 15 s) is logged and
// not retried, and so is any other refusal.

#include "b3scaled_api.hpp"
#include "backoff.hpp"
#include "relay_call.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

namespace b3s::agent {

class RpcRelay {
public:
    using ApiFactory = std::function<std::unique_ptr<B3scaledApi>()>;

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
    };
    Stats stats() const;

private:
    struct Lane {
        std::unique_ptr<B3scaledApi> api;
        Backoff backoff;
    };
    std::vector<Lane> lanes_;
    std::atomic<std::uint64_t> relayed_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::uint64_t> retries_{0};
};

}  // namespace b3s::agent
