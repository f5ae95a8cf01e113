#pragma once
// Delivers callbacks to frontends — GETs (a meeting ended) and POSTs (a recording is ready,
// re-signed for the frontend) the callback proxy accepted — from a persistent outbox in the
// store, so nothing queued is lost with a restart and every instance sharing the database
// helps deliver:
//  - enqueue() writes the callback and wakes this instance's claimer at once; other instances
//    find it at their next poll (every second);
//  - claims are the store's (Store::claimCallbacks): exactly once across instances, one
//    callback per frontend and round, at most `per_frontend` of one frontend in flight
//    cluster-wide, so one tenant's backlog or a URL that never answers costs another tenant
//    at most one attempt's wait, never its place in a queue;
//  - `workers` attempts at once per instance, each bounded by `attempt_timeout`; success is
//    any status below 400 (redirects are not followed); a failure is retried 2, 4, 8, 16 …
//    s later until `max_attempts`, then it is a dead letter; 410 Gone ends it at once as a
//    dead letter with the reason "gone" (the frontend says the meeting or recording no
//    longer exists); a URL the policy refuses (callback_url_policy.hpp) is never called and
//    is a dead letter with the reason at once;
//  - a claim not finished within its lease (the instance died) is taken over by another
//    claim, and the late result of the old one discarded;
//  - delivered rows are pruned after `delivered_retention`, dead letters after
//    `dead_letter_retention`; they are listed by the REST API (GET /api/v1/callbacks).
// Logs and errors never carry a URL's userinfo (redactUserinfo) or its query.

#include "callbacks/callback_url_policy.hpp"
#include "cluster/backend_client.hpp"
#include "cluster/cluster_state.hpp"
#include "metrics/core_metrics.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace b3s::core::callbacks {

/// One callback as the callback proxy hands it over.
struct CallbackJob {
    std::string frontend_id;
    std::string method = "GET";  ///< GET or POST
    std::string url;
    std::string body;
    std::string content_type;
    /// Non-empty: a second job with this key is a replay and is dropped.
    std::string dedupe_key;
};

enum class EnqueueResult {
    Queued,
    Duplicate,    ///< a job with the same dedupe key was queued before: dropped
    Unavailable,  ///< the store cannot take it now: the proxy answers 503, the sender retries
};

struct OutboxOptions {
    int workers = 8;                                    ///< B3SCALE_CALLBACK_WORKERS
    int per_frontend = 2;                               ///< B3SCALE_CALLBACK_PER_FRONTEND
    std::chrono::milliseconds attempt_timeout{10'000};  ///< B3SCALE_CALLBACK_TIMEOUT
    int max_attempts = 5;                               ///< B3SCALE_CALLBACK_MAX_ATTEMPTS
    std::chrono::milliseconds first_retry_delay{2000};  ///< doubled after every further failure
    std::chrono::milliseconds max_retry_delay{3'600'000};
    std::chrono::milliseconds poll_interval{1000};  ///< how often other instances' callbacks are looked for
    std::chrono::milliseconds delivered_retention{24 * 3'600'000};
    std::chrono::milliseconds dead_letter_retention{14LL * 24 * 3'600'000};  ///< B3SCALE_CALLBACK_DEAD_LETTER_RETENTION
    std::chrono::milliseconds housekeeping_interval{5000};                   ///< counts for the gauge, pruning
};

class CallbackOutbox {
public:
    /// Every reference must outlive the outbox. Nothing runs before start().
    CallbackOutbox(store::Store& store, const cluster::ClusterState& cluster, CallbackUrlPolicy policy,
                   const metrics::CoreMetrics& metrics, const Clock& clock, OutboxOptions options = {});
    /// stop()s.
    ~CallbackOutbox();
    CallbackOutbox(const CallbackOutbox&) = delete;
    CallbackOutbox& operator=(const CallbackOutbox&) = delete;

    /// Starts the claimer and the workers.
    void start();
    /// Stops claiming; attempts already claimed are finished (each within attempt_timeout)
    /// and recorded. Callbacks still pending stay in the store for the next start or
    /// another instance. Idempotent.
    void stop() noexcept;

    /// Queues `job` (thread-safe; a store round trip). Never throws.
    EnqueueResult enqueue(CallbackJob job);

    /// The policy deliveries are checked against.
    const CallbackUrlPolicy& policy() const { return policy_; }

private:
    void claimLoop();
    void workLoop();
    void attempt(const store::OutboxCallback& callback);
    void housekeeping();
    std::string frontendLabel(const std::string& frontend_id) const;
    std::chrono::milliseconds retryDelay(int attempts) const;
    bool stopping();

    store::Store& store_;
    const cluster::ClusterState& cluster_;
    const CallbackUrlPolicy policy_;
    const metrics::CoreMetrics& metrics_;
    const Clock& clock_;
    const OutboxOptions options_;
    cluster::BackendClient client_;  ///< after policy_: its address check uses it

    std::mutex mutex_;
    std::condition_variable claimer_wake_;
    std::condition_variable work_ready_;
    std::deque<store::OutboxCallback> ready_;  ///< claimed, not yet picked up by a worker
    int busy_ = 0;                             ///< claimed and not yet finished, this instance
    bool wake_ = false;
    bool running_ = false;
    bool stopping_ = false;       ///< the claimer stops
    bool workers_done_ = false;   ///< set once the claimer stopped: workers leave when ready_ is empty
    bool store_failing_ = false;  ///< claimer thread only: log an outage once, and its end
    std::chrono::steady_clock::time_point next_housekeeping_{};
    std::chrono::steady_clock::time_point next_prune_{};
    std::thread claimer_;
    std::vector<std::thread> workers_;
};

}  // namespace b3s::core::callbacks
