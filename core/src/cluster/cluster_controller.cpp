#include "cluster/cluster_controller.hpp"

#include "bbb/param_list.hpp"
#include "log/logger.hpp"
#include "util/heap_trim.hpp"

#include <algorithm>

namespace b3s::core::cluster {
namespace {

log::Logger& controllerLog() {
    static log::Logger l("b3s.core.cluster");
    return l;
}

std::int64_t micros(std::chrono::milliseconds d) {
    return d.count() * 1000;
}

constexpr auto kCleanupEvery = std::chrono::seconds(60);

}  // namespace

ClusterController::ClusterController(ClusterState& cluster, store::Store& store, const BackendApi& api,
                                     PollRequests& requests, const Clock& clock, ControllerOptions options)
    : cluster_(cluster),
      store_(store),
      api_(api),
      requests_(requests),
      clock_(clock),
      options_(options),
      reconciler_(cluster, store, clock) {
    options_.workers = std::max(1, options_.workers);
}

ClusterController::~ClusterController() {
    stop();
}

void ClusterController::addListener(PollListener listener) {
    listeners_.push_back(std::move(listener));
}

void ClusterController::start() {
    if (scheduler_.joinable()) return;
    stopping_ = false;
    for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
    scheduler_ = std::thread([this] { schedule(); });
}

void ClusterController::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        queue_.clear();  // unpolled leases simply expire
    }
    wake_.notify_all();
    if (scheduler_.joinable()) scheduler_.join();
    for (auto& w : workers_)
        if (w.joinable()) w.join();
    workers_.clear();
}

void ClusterController::storeFailed(const char* operation, const std::exception& e) {
    std::lock_guard lock(mutex_);
    if (!store_down_) controllerLog().warn("controller_store_failed", {{"operation", operation}, {"error", e.what()}});
    store_down_ = true;
}

void ClusterController::schedule() {
    // Ticks well below the shortest period, so a due backend waits a fraction of it at most.
    const auto tick = std::clamp(std::min(options_.interval, options_.retry_interval) / 4,
                                 std::chrono::milliseconds(20), std::chrono::milliseconds(250));
    const auto lease = options_.poll_deadline + std::chrono::seconds(5);
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        rounds_.fetch_add(1, std::memory_order_relaxed);
        const int free = options_.workers - busy_;
        if (free > 0) {
            lock.unlock();
            expedite();  // first: what it moves forward is claimed right below
            std::vector<store::PollLease> claimed;
            bool failed = false;
            try {
                claimed = store_.claimDuePolls(clock_.nowMicros(), micros(options_.interval), micros(lease), free);
            } catch (const std::exception& e) {
                storeFailed("claimDuePolls", e);
                failed = true;
            }
            if (!failed && std::chrono::steady_clock::now() >= next_cleanup_) {
                next_cleanup_ = std::chrono::steady_clock::now() + kCleanupEvery;
                forgetLostMeetings();
                forgetMeetingEnds();
                releaseFreedHeap();  // a minute of polls: their answers are garbage by now
            }
            reloadIfStale();
            lock.lock();
            if (!failed && store_down_) {
                store_down_ = false;
                controllerLog().info("controller_store_back");
            }
            for (auto& l : claimed) queue_.push_back(std::move(l));
            busy_ += static_cast<int>(claimed.size());
            if (!claimed.empty()) wake_.notify_all();
        }
        wake_.wait_for(lock, tick, [this] { return stopping_; });
    }
}

void ClusterController::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        const auto lease = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        try {
            pollOne(lease);
        } catch (const store::StoreError& e) {
            storeFailed("poll", e);
        } catch (const std::exception& e) {
            controllerLog().error("poll_failed", {{"backend_id", lease.backend_id}, {"error", e.what()}});
        }
        lock.lock();
        --busy_;
    }
}

void ClusterController::pollOne(const store::PollLease& lease) {
    auto backend = cluster_.backend(lease.backend_id);
    if (!backend) {
        // Inserted a moment ago by another instance: the feed has not brought it yet.
        auto row = store_.findBackend(lease.backend_id);
        if (!row) return;
        backend = std::make_shared<const store::Backend>(*row);
    }
    if (agentStandsIn(lease, *backend)) {
        const auto due = backend->synced_at + micros(options_.agent_poll_interval);
        if (store_.deferPoll(lease, due)) controllerLog().debug("poll_deferred", {{"backend", backend->host}});
        return;
    }
    const auto ticket = requests_.ticket();
    const auto poll = pollBackend(api_, *backend, clock_);
    if (options_.metrics) {
        const auto host = metrics::backendLabel(backend->host);
        options_.metrics->backend_polls.inc({host, poll.succeeded ? "success" : "failure"});
        options_.metrics->backend_poll_duration.observe({host}, double(poll.latency.count()) / 1e6);
    }
    const auto step = nextHealth(lease.node_state, lease.failures, lease.successes, poll.succeeded, options_.health);

    store::PollRecord record;
    record.succeeded = poll.succeeded;
    record.node_state = step.node_state;
    record.failures = step.failures;
    record.successes = step.successes;
    record.latency = poll.latency.count();
    record.at = clock_.nowMicros();
    if (poll.succeeded) {
        record.meetings_count = static_cast<int>(poll.meetings.size());
        record.attendees_count = poll.attendees();
    } else {
        record.last_error = poll.error;
        record.next_due = record.at + micros(options_.retry_interval);
    }
    record.meetings_lost = step.went_offline;
    auto recorded = store_.recordPoll(lease, record);
    if (!recorded) {
        controllerLog().debug("poll_lease_lost", {{"backend", backend->host}});
        return;
    }
    const store::Backend* updated = &recorded->backend;
    cluster_.put(*updated);
    // It answers: calls that failed before the question no longer make its joins check it.
    if (poll.succeeded) requests_.answered(updated->id, ticket);
    if (step.changed) {
        const bool worse = step.node_state != store::node_state::kReady;
        controllerLog().log(worse ? log::LogLevel::Warn : log::LogLevel::Info, "backend_state_changed",
                            {{"backend", updated->host},
                             {"from", lease.node_state},
                             {"to", step.node_state},
                             {"failures", std::to_string(step.failures)},
                             {"error", poll.succeeded ? std::string() : poll.error}});
    }
    if (step.went_offline) {
        for (const auto& m : recorded->lost) cluster_.put(m);
        controllerLog().warn("backend_offline", {{"backend", updated->host},
                                                 {"meetings_lost", std::to_string(recorded->lost.size())},
                                                 {"next", "each is re-created elsewhere on its next create or join"}});
    }
    if (poll.succeeded) afterPoll(*updated, poll);
    if (updated->admin_state == store::AdminState::Decommissioned &&
        (poll.succeeded || step.node_state == store::node_state::kOffline)) {
        if (store_.deleteDrainedBackend(updated->id)) {
            cluster_.removeBackend(updated->id);
            controllerLog().info("backend_decommissioned", {{"backend", updated->host}});
        }
    }
}

bool ClusterController::agentStandsIn(const store::PollLease& lease, const store::Backend& backend) const {
    if (options_.agent_poll_interval <= options_.interval) return false;
    // Anything but a plainly healthy backend gets its polls: they decide its health, its
    // deletion, and the meetings the reconciler repairs.
    if (lease.node_state != store::node_state::kReady || lease.failures > 0 ||
        backend.admin_state == store::AdminState::Decommissioned || requests_.failedSinceLastAnswer(backend.id))
        return false;
    const auto now = clock_.nowMicros();
    const auto silence = micros(options_.agent_silence);
    if (!backend.agent_ref || !backend.agent_heartbeat || now - *backend.agent_heartbeat > silence) return false;
    if (!backend.agent_report || !backend.agent_report->attendees || now - backend.agent_report->at > silence)
        return false;
    return now - backend.synced_at < micros(options_.agent_poll_interval);
}

void ClusterController::afterPoll(const store::Backend& backend, const PollResult& poll) {
    const auto summary = reconciler_.reconcile(backend, poll);
    if (summary.adopted + summary.removed + summary.recovered + summary.completed > 0)
        controllerLog().info("meetings_reconciled", {{"backend", backend.host},
                                                     {"adopted", std::to_string(summary.adopted)},
                                                     {"removed", std::to_string(summary.removed)},
                                                     {"recovered", std::to_string(summary.recovered)},
                                                     {"completed", std::to_string(summary.completed)}});
    endStrayCopies(backend, summary.strays);
    for (const auto& listener : listeners_) listener(backend, poll);
}

void ClusterController::endStrayCopies(const store::Backend& backend,
                                       const std::vector<MeetingReconciler::StrayCopy>& strays) {
    for (const auto& stray : strays) {
        bbb::ParamList params;
        params.set("meetingID", stray.meeting_id);
        if (!stray.password.empty()) params.set("password", stray.password);
        const auto result = api_.call(backend, {"end", std::move(params), {}});
        // notFound: it ended meanwhile. A failure is tried again after the next poll.
        if (result.succeeded() || (result.answered() && result.messageKey() == "notFound"))
            controllerLog().info("stray_copy_ended",
                                 {{"meeting", stray.meeting_id}, {"backend", backend.host}, {"reason", stray.reason}});
        else
            controllerLog().warn("stray_copy_end_failed",
                                 {{"meeting", stray.meeting_id},
                                  {"backend", backend.host},
                                  {"reason", stray.reason},
                                  {"error", result.answered() ? result.messageKey() : result.error}});
    }
}

void ClusterController::expedite() {
    auto ids = requests_.take();
    const auto now = clock_.nowMicros();
    const auto silence = micros(options_.agent_silence);
    std::unordered_set<std::string> silent;
    for (const auto& b : cluster_.snapshot()->backends()) {
        if (!b->agent_ref || !b->agent_heartbeat || now - *b->agent_heartbeat <= silence) continue;
        silent.insert(b->id);
        if (!silent_agents_.contains(b->id)) ids.push_back(b->id);  // fell silent since the last tick
    }
    silent_agents_ = std::move(silent);
    for (const auto& id : ids) {
        try {
            if (store_.requestPoll(id, now)) controllerLog().debug("poll_expedited", {{"backend_id", id}});
        } catch (const store::StoreError& e) {
            storeFailed("requestPoll", e);
            return;
        }
    }
}

void ClusterController::reloadIfStale() {
    const auto now = std::chrono::steady_clock::now();
    if (!cluster_.stale() || now < next_reload_) return;
    next_reload_ = now + std::chrono::seconds(1);
    try {
        cluster_.reload();
    } catch (const store::StoreError&) {
        // Still stale: reload() logged it once; the next attempt is a second away.
    }
}

void ClusterController::forgetLostMeetings() {
    try {
        const auto ids = store_.deleteLostMeetings(clock_.nowMicros() - micros(options_.lost_meeting_retention));
        for (const auto& id : ids) cluster_.removeMeeting(id);
        if (!ids.empty()) controllerLog().info("lost_meetings_forgotten", {{"meetings", std::to_string(ids.size())}});
    } catch (const std::exception& e) {
        storeFailed("deleteLostMeetings", e);
    }
}

void ClusterController::forgetMeetingEnds() {
    try {
        const auto pruned = store_.deleteMeetingEnds(clock_.nowMicros() - micros(options_.meeting_end_retention));
        if (pruned > 0) controllerLog().debug("meeting_ends_pruned", {{"meetings", std::to_string(pruned)}});
    } catch (const std::exception& e) {
        storeFailed("deleteMeetingEnds", e);
    }
}

}  // namespace b3s::core::cluster
