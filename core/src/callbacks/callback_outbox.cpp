#include "callbacks/callback_outbox.hpp"

#include "log/logger.hpp"
#include "util/url_redaction.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace b3s::core::callbacks {
namespace {

using std::chrono::milliseconds;
using Outcome = store::CallbackOutcome;

log::Logger& outboxLog() {
    static log::Logger l("b3s.core.callbacks");
    return l;
}

// For logs: scheme, host and path, never userinfo or the query (it may carry a frontend's own
// tokens).
std::string loggedUrl(const std::string& url) {
    try {
        Poco::URI uri(url);
        return redactUserinfo(uri.getScheme() + "://" + uri.getAuthority() + uri.getPath());
    } catch (const Poco::Exception&) {
        return "(unparsable URL)";
    }
}

// Connecting is part of an attempt's time; frontends that do not accept within 5 s are down.
cluster::BackendClientOptions clientOptions(const OutboxOptions& o, const CallbackUrlPolicy& policy) {
    cluster::BackendClientOptions c;
    c.connect_timeout = std::min(o.attempt_timeout, milliseconds(5000));
    c.response_timeout = o.attempt_timeout;
    c.address_check = [&policy](std::string_view host, const Poco::Net::IPAddress& address, std::uint16_t port) {
        return policy.refusal(address, port, host);
    };
    return c;
}

// Long enough for one attempt (connect, send, a response read in two waits) and a margin; a
// claim older than this belongs to an instance that died, and another takes it over.
/// Recording an outcome is tried again this often while its claim holds (minus the margin).
constexpr std::chrono::milliseconds kFinishRetryEvery{500};
constexpr store::Micros kFinishMarginUs = 1'000'000;

store::Micros leaseOf(const OutboxOptions& o) {
    const auto connect = std::min(o.attempt_timeout, milliseconds(5000));
    return std::chrono::duration_cast<std::chrono::microseconds>(connect + 2 * o.attempt_timeout +
                                                                 std::chrono::seconds(5))
        .count();
}

}  // namespace

CallbackOutbox::CallbackOutbox(store::Store& store, const cluster::ClusterState& cluster, CallbackUrlPolicy policy,
                               const metrics::CoreMetrics& metrics, const Clock& clock, OutboxOptions options)
    : store_(store),
      cluster_(cluster),
      policy_(std::move(policy)),
      metrics_(metrics),
      clock_(clock),
      options_(options),
      client_(clientOptions(options_, policy_)) {}

CallbackOutbox::~CallbackOutbox() {
    stop();
}

void CallbackOutbox::start() {
    std::lock_guard lock(mutex_);
    if (running_ || stopping_) return;
    running_ = true;
    wake_ = true;  // what earlier runs or other instances left is due now
    for (int i = 0; i < std::max(options_.workers, 1); ++i) workers_.emplace_back([this] { workLoop(); });
    claimer_ = std::thread([this] { claimLoop(); });
}

void CallbackOutbox::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    claimer_wake_.notify_all();
    if (claimer_.joinable()) claimer_.join();
    // Workers leave once nothing claimed is left: every claimed callback gets its attempt.
    {
        std::lock_guard lock(mutex_);
        workers_done_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_)
        if (worker.joinable()) worker.join();
}

EnqueueResult CallbackOutbox::enqueue(CallbackJob job) {
    store::OutboxCallback row;
    row.frontend_id = std::move(job.frontend_id);
    row.method = job.method == "POST" ? "POST" : "GET";
    row.url = std::move(job.url);
    row.body = std::move(job.body);
    row.content_type = std::move(job.content_type);
    if (!job.dedupe_key.empty()) row.dedupe_key = std::move(job.dedupe_key);
    row.next_attempt_at = clock_.nowMicros();
    try {
        const auto queued = store_.insertCallback(row);
        if (!queued) {
            outboxLog().info("callback_replay_dropped",
                             {{"frontend", frontendLabel(row.frontend_id)}, {"url", loggedUrl(row.url)}});
            return EnqueueResult::Duplicate;
        }
        outboxLog().debug("callback_queued", {{"id", queued->id},
                                              {"frontend", frontendLabel(row.frontend_id)},
                                              {"method", row.method},
                                              {"url", loggedUrl(row.url)}});
    } catch (const store::StoreError& e) {
        outboxLog().warn("callback_queue_failed",
                         {{"frontend", frontendLabel(row.frontend_id)}, {"error", redactUserinfo(e.what())}});
        return EnqueueResult::Unavailable;
    }
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    claimer_wake_.notify_all();
    return EnqueueResult::Queued;
}

void CallbackOutbox::claimLoop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        claimer_wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || wake_; });
        if (stopping_) break;
        wake_ = false;
        const int free = std::max(options_.workers, 1) - busy_;
        lock.unlock();
        if (std::chrono::steady_clock::now() >= next_housekeeping_) housekeeping();
        std::size_t claimed = 0;
        if (free > 0) {
            store::CallbackClaim claim;
            claim.now = clock_.nowMicros();
            claim.lease = leaseOf(options_);
            claim.limit = free;
            claim.per_frontend = std::max(options_.per_frontend, 1);
            claim.max_attempts = std::max(options_.max_attempts, 1);
            std::vector<store::OutboxCallback> got;
            try {
                got = store_.claimCallbacks(claim);
                if (store_failing_) outboxLog().info("callback_claims_resumed");
                store_failing_ = false;
            } catch (const store::StoreError& e) {
                if (!store_failing_) outboxLog().warn("callback_claim_failed", {{"error", e.what()}});
                store_failing_ = true;
            }
            claimed = got.size();
            lock.lock();
            busy_ += static_cast<int>(claimed);
            for (auto& callback : got) ready_.push_back(std::move(callback));
            // A full claim may have left more due: look again at once.
            if (claimed > 0 && static_cast<int>(claimed) == free) wake_ = true;
            lock.unlock();
            if (claimed > 0) work_ready_.notify_all();
        }
        lock.lock();
    }
}

void CallbackOutbox::workLoop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        work_ready_.wait(lock, [this] { return workers_done_ || !ready_.empty(); });
        if (ready_.empty()) return;  // stopped, and nothing claimed is left
        auto callback = std::move(ready_.front());
        ready_.pop_front();
        lock.unlock();
        attempt(callback);
        lock.lock();
        --busy_;
        // A worker is free again, and the frontend may have another one due.
        wake_ = true;
        claimer_wake_.notify_all();
    }
}

void CallbackOutbox::attempt(const store::OutboxCallback& callback) {
    const auto frontend = frontendLabel(callback.frontend_id);
    const auto url = loggedUrl(callback.url);
    Outcome outcome;
    std::optional<std::string> refused = policy_.refusal(callback.url);
    cluster::BackendCallResult result;
    if (!refused) {
        result = client_.call({callback.method, callback.url, callback.body, callback.content_type});
        if (!result.ok() && result.error.kind == cluster::BackendCallError::Kind::Refused)
            refused = result.error.message;
    }
    outcome.at = clock_.nowMicros();
    if (refused) {
        outcome.kind = Outcome::Kind::Dead;
        outcome.error = "refused: " + redactUserinfo(*refused);
        metrics_.callbacks_refused.inc({frontend});
        metrics_.callbacks_dead_lettered.inc({frontend});
        outboxLog().warn("callback_refused",
                         {{"id", callback.id}, {"frontend", frontend}, {"url", url}, {"reason", *outcome.error}});
    } else if (result.ok() && result.response->status < 400) {
        outcome.kind = Outcome::Kind::Delivered;
        metrics_.callbacks_delivered.inc({frontend});
        outboxLog().debug("callback_delivered", {{"id", callback.id},
                                                 {"frontend", frontend},
                                                 {"url", url},
                                                 {"status", std::to_string(result.response->status)}});
    } else if (result.ok() && result.response->status == 410) {
        outcome.kind = Outcome::Kind::Dead;
        outcome.error = "gone: the frontend answered 410";
        metrics_.callbacks_dead_lettered.inc({frontend});
        outboxLog().info("callback_gone", {{"id", callback.id}, {"frontend", frontend}, {"url", url}});
    } else {
        const auto why =
            redactUserinfo(result.ok() ? "HTTP " + std::to_string(result.response->status) : result.error.message);
        if (callback.attempts >= options_.max_attempts) {
            outcome.kind = Outcome::Kind::Dead;
            outcome.error = "gave up after " + std::to_string(callback.attempts) + " attempts: " + why;
            metrics_.callbacks_dead_lettered.inc({frontend});
            outboxLog().warn("callback_dead_lettered", {{"id", callback.id},
                                                        {"frontend", frontend},
                                                        {"url", url},
                                                        {"attempts", std::to_string(callback.attempts)},
                                                        {"error", why}});
        } else {
            outcome.kind = Outcome::Kind::Retry;
            outcome.error = why;
            const auto delay = retryDelay(callback.attempts);
            outcome.next_attempt_at = outcome.at + std::chrono::duration_cast<std::chrono::microseconds>(delay).count();
            metrics_.callbacks_retried.inc({frontend});
            outboxLog().info("callback_retry", {{"id", callback.id},
                                                {"frontend", frontend},
                                                {"url", url},
                                                {"attempt", std::to_string(callback.attempts)},
                                                {"next_in_ms", std::to_string(delay.count())},
                                                {"error", why}});
        }
    }
    // The outcome is recorded while the claim holds, trying again through a short database
    // outage: a delivered callback whose claim expired unrecorded would be delivered again.
    // The claim's time left, on the steady clock (the injected clock may be a test's, standing still).
    const auto left_us = callback.claim_expires_at.value_or(0) - clock_.nowMicros() - kFinishMarginUs;
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::microseconds(std::max<store::Micros>(left_us, 0));
    for (int tries = 1;; ++tries) {
        try {
            if (!store_.finishCallback(callback.id, callback.claimed_by.value_or(""), outcome))
                outboxLog().warn("callback_claim_lost", {{"id", callback.id}, {"frontend", frontend}});
            return;
        } catch (const store::StoreError& e) {
            const bool time_left = std::chrono::steady_clock::now() + kFinishRetryEvery < give_up;
            if (!time_left || stopping()) {
                // The claim expires and another attempt follows: delivered at least once.
                outboxLog().warn("callback_finish_failed",
                                 {{"id", callback.id}, {"error", e.what()}, {"tries", std::to_string(tries)}});
                return;
            }
            std::this_thread::sleep_for(kFinishRetryEvery);
        }
    }
}

bool CallbackOutbox::stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

void CallbackOutbox::housekeeping() {
    const auto now = std::chrono::steady_clock::now();
    next_housekeeping_ = now + options_.housekeeping_interval;
    try {
        const auto counts = store_.countCallbacks();
        metrics_.callbacks_queued.set({std::string(store::callback_state::kPending)},
                                      static_cast<double>(counts.pending));
        metrics_.callbacks_queued.set({std::string(store::callback_state::kDelivering)},
                                      static_cast<double>(counts.delivering));
        metrics_.callbacks_queued.set({std::string(store::callback_state::kDelivered)},
                                      static_cast<double>(counts.delivered));
        metrics_.callbacks_queued.set({std::string(store::callback_state::kDead)}, static_cast<double>(counts.dead));
        if (now < next_prune_) return;
        next_prune_ = now + std::chrono::minutes(1);
        const auto wall = clock_.nowMicros();
        auto micros = [](milliseconds ms) { return std::chrono::duration_cast<std::chrono::microseconds>(ms).count(); };
        const int pruned = store_.deleteFinishedCallbacks(wall - micros(options_.delivered_retention),
                                                          wall - micros(options_.dead_letter_retention));
        if (pruned > 0) outboxLog().info("callbacks_pruned", {{"count", std::to_string(pruned)}});
    } catch (const store::StoreError& e) {
        outboxLog().debug("callback_housekeeping_failed", {{"error", e.what()}});
    }
}

std::string CallbackOutbox::frontendLabel(const std::string& frontend_id) const {
    const auto frontend = cluster_.frontend(frontend_id);
    return frontend ? frontend->key : "undefined";
}

milliseconds CallbackOutbox::retryDelay(int attempts) const {
    auto delay = options_.first_retry_delay;
    for (int i = 1; i < attempts && delay < options_.max_retry_delay; ++i) delay *= 2;
    return std::min(delay, options_.max_retry_delay);
}

}  // namespace b3s::core::callbacks
