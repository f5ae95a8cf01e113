#pragma once
// The cluster controller: watches every backend itself, no agent needed.
//
// Each backend is polled (getMeetings) once per interval cluster-wide. The schedule lives in
// the database (Store::claimDuePolls): an instance claims due backends with a lease, polls
// them on its workers and records each result only while its lease holds, so several
// b3scaled processes on one PostgreSQL share the polls instead of repeating them, and a
// crashed instance's backends fall due again for the others once its leases expire.
//
// A poll's result feeds
//  - the health hysteresis (backend_health.hpp): ready / unstable / offline, with the
//    latency and last error on the backend row;
//  - the load the balancer sees (meetings and attendees on the backend row);
//  - the reconciler (meeting_reconciler.hpp), after successful polls only;
//  - when the backend goes offline: its meetings are marked lost, so the next create or join
//    of each re-creates it on a healthy backend (gateway/create_call, join_call);
//  - a decommissioned backend is deleted once it carries no meeting but lost ones;
//  - listeners (e.g. the attendee limit), with the meeting list as polled.
// Lost meetings nobody came back for are forgotten after the retention.
//
// A successful poll also clears the call failures PollRequests remembers of the backend (those
// before the poll asked), so joins of its meetings stop checking it first.
//
// Early polls: a backend named in PollRequests (a forwarded call found it unreachable) or
// whose agent fell silent (its heartbeat older than `agent_silence`, when it has an agent) is
// polled at the next tick instead of at its turn. Agents are a second signal, never a
// requirement: a backend without one is watched by its polls alone.
//
// Late polls: a healthy backend whose agent is alive and reports its attendees (the
// heartbeat's agent_report, fresh within `agent_silence`) is polled every
// `agent_poll_interval` instead: a claim that comes earlier gives the lease back with the
// next due time (Store::deferPoll). Not for a backend that is anything but ready, failed a poll
// or a call this instance saw, or is being decommissioned.
//
// The in-memory view is reloaded when it went stale (a failed read of the store) and no
// change has come since to trigger that, at most once a second.
//
// Every store failure is logged and retried at the next tick: a database outage pauses the
// controller, it never stops it. A hanging backend holds one worker for at most the poll
// timeout; the others go on.
//
// Thread-safety: start() and stop() from one thread; the rest is internal.

#include "cluster/backend_api.hpp"
#include "cluster/backend_health.hpp"
#include "cluster/backend_poll.hpp"
#include "cluster/cluster_state.hpp"
#include "cluster/meeting_reconciler.hpp"
#include "cluster/poll_requests.hpp"
#include "metrics/core_metrics.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace b3s::core::cluster {

struct ControllerOptions {
    std::chrono::milliseconds interval{5000};        ///< B3SCALE_POLL_INTERVAL
    std::chrono::milliseconds retry_interval{1000};  ///< B3SCALE_POLL_RETRY_INTERVAL
    /// Longest a poll can take (connect + response timeout): leases last this plus a margin.
    std::chrono::milliseconds poll_deadline{7000};
    HealthRule health;
    int workers = 16;  ///< polls of this instance at once
    std::chrono::milliseconds lost_meeting_retention{12 * 3'600'000};
    /// How long the end of a meeting is remembered (B3SCALE_CALLBACK_GRACE: its callback tokens
    /// are honoured that long after it ended).
    std::chrono::milliseconds meeting_end_retention{24 * 3'600'000};
    std::chrono::milliseconds agent_silence{5000};  ///< B3SCALE_AGENT_HEARTBEAT_TIMEOUT
    /// B3SCALE_AGENT_POLL_INTERVAL: the period of a backend whose live agent reports its attendees.
    std::chrono::milliseconds agent_poll_interval{30000};
    const metrics::CoreMetrics* metrics = nullptr;  ///< polls counted by backend and outcome
};

class ClusterController {
public:
    using PollListener = std::function<void(const store::Backend&, const PollResult&)>;

    /// Every reference must outlive the controller. `api` carries the poll timeouts.
    ClusterController(ClusterState& cluster, store::Store& store, const BackendApi& api, PollRequests& requests,
                      const Clock& clock, ControllerOptions options);
    /// Stops (see stop()).
    ~ClusterController();
    ClusterController(const ClusterController&) = delete;
    ClusterController& operator=(const ClusterController&) = delete;

    /// Called after every successful poll this instance records. Before start() only.
    void addListener(PollListener listener);
    void start();
    /// Waits for the polls in flight (each bounded by the poll timeout) and joins every thread.
    void stop();
    /// Grows with every round of the scheduler, store outage or not: the systemd watchdog's
    /// sign that the controller is not wedged. Lock-free.
    std::uint64_t rounds() const noexcept { return rounds_.load(std::memory_order_relaxed); }

private:
    void schedule();
    void work();
    void pollOne(const store::PollLease& lease);
    void afterPoll(const store::Backend& backend, const PollResult& poll);
    /// Whether a live agent's reports make this claimed poll unnecessary (see "Late polls").
    bool agentStandsIn(const store::PollLease& lease, const store::Backend& backend) const;
    /// Ends the copies the reconciler found astray on `backend` (logged; a failure waits for
    /// the next poll, which finds them again).
    void endStrayCopies(const store::Backend& backend, const std::vector<MeetingReconciler::StrayCopy>& strays);
    void forgetLostMeetings();
    void forgetMeetingEnds();
    /// Early polls for the backends requested or whose agent fell silent since the last tick.
    void expedite();
    void reloadIfStale();
    void storeFailed(const char* operation, const std::exception& e);

    ClusterState& cluster_;
    store::Store& store_;
    const BackendApi& api_;
    PollRequests& requests_;
    const Clock& clock_;
    ControllerOptions options_;
    MeetingReconciler reconciler_;
    std::vector<PollListener> listeners_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::deque<store::PollLease> queue_;
    int busy_ = 0;             ///< leases queued or being polled
    bool store_down_ = false;  ///< to log an outage once, and its end
    std::chrono::steady_clock::time_point next_cleanup_{};
    std::chrono::steady_clock::time_point next_reload_{};
    std::unordered_set<std::string> silent_agents_;  ///< scheduler thread only

    std::atomic<std::uint64_t> rounds_{0};
    std::thread scheduler_;
    std::vector<std::thread> workers_;
};

}  // namespace b3s::core::cluster
