#pragma once
// The heartbeat: POST /api/v1/agent/heartbeat once a second on a thread of its own (with its
// own connection, so a slow RPC never delays it). The body carries what the agent knows:
//
//   {"meetings": n, "attendees": n,                 only once the count is seeded
//    "host": {"cpu": 0…1, "memory": 0…1,            B3SCALE_AGENT_HOST_FIGURES, when readable
//             "network_rx_bytes_per_s": x, "network_tx_bytes_per_s": y}}
//
// and nothing (an empty body, as b3scale's agent sends) when it knows neither. A failed beat
// is logged at most every 30 s and retried with backoff (0.5 s doubling to 5 s: a node that
// is away from b3scaled longer than necessary takes no meetings); never fatal. When b3scaled
// refuses a body (400) the beat is sent again without one, so liveness never depends on the
// figures.

#include "b3scaled_api.hpp"
#include "backoff.hpp"
#include "host_figures.hpp"
#include "meeting_table.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace b3s::agent {

/// The heartbeat body for these figures; "" when there is nothing to report. Pure.
std::string heartbeatBody(const std::optional<MeetingCounts>& counts, const HostFigures& host);

class HeartbeatLoop {
public:
    using CountsSource = std::function<std::optional<MeetingCounts>()>;

    /// `host_figures`: nullptr when B3SCALE_AGENT_HOST_FIGURES is off.
    HeartbeatLoop(std::unique_ptr<B3scaledApi> api, CountsSource counts,
                  std::unique_ptr<HostFigureSampler> host_figures,
                  std::chrono::milliseconds interval = std::chrono::seconds(1));
    ~HeartbeatLoop();

    void start();
    /// Stops the thread; a beat in flight is aborted.
    void stop();

private:
    void run(std::stop_token stop);
    bool beat();  ///< true when b3scaled took it

    std::unique_ptr<B3scaledApi> api_;
    CountsSource counts_;
    std::unique_ptr<HostFigureSampler> host_figures_;
    std::chrono::milliseconds interval_;
    std::jthread thread_;
};

}  // namespace b3s::agent
