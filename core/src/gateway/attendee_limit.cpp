#include "gateway/attendee_limit.hpp"

#include "log/logger.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>

namespace b3s::core::gateway {
namespace {

log::Logger& limitLog() {
    static log::Logger l("b3s.core.gateway");
    return l;
}

int toInt(const std::string& text) {
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

}  // namespace

AttendeeLimit::AttendeeLimit(const cluster::BackendApi& api, cluster::FanOut& fan_out, const plugin::Clock& clock,
                             std::chrono::milliseconds max_age, std::chrono::milliseconds timeout)
    : api_(api), fan_out_(fan_out), clock_(clock), max_age_(max_age), timeout_(timeout) {}

void AttendeeLimit::joined(const std::string& backend_id, const std::string& meeting_id) {
    std::lock_guard lock(mutex_);
    counts_[backend_id].joins[meeting_id].push_back(clock_.nowMicros());
}

void AttendeeLimit::refresh(const std::vector<cluster::BackendPtr>& backends) {
    struct Answer {
        std::int64_t asked_at_us = 0;
        std::optional<std::unordered_map<std::string, int>> participants;
    };
    auto answers = std::make_shared<std::vector<Answer>>(backends.size());
    std::vector<std::function<void()>> tasks;
    for (std::size_t i = 0; i < backends.size(); ++i) {
        tasks.push_back([this, answers, i, backend = backends[i]] {
            (*answers)[i].asked_at_us = clock_.nowMicros();
            auto result = api_.call(*backend, {"getMeetings", {}, {}});
            if (!result.succeeded()) {
                limitLog().warn("attendee_count_failed", {{"backend", backend->host}, {"error", result.error}});
                return;
            }
            std::unordered_map<std::string, int> participants;
            if (const auto* meetings = result.xml->child("meetings"))
                for (const auto* m : meetings->childrenNamed("meeting"))
                    participants[m->childText("meetingID").value_or("")] =
                        toInt(m->childText("participantCount").value_or("0"));
            (*answers)[i].participants = std::move(participants);
        });
    }
    const auto finished = fan_out_.runAll(std::move(tasks), std::chrono::steady_clock::now() + timeout_);
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < backends.size(); ++i) {
        if (!finished[i] || !(*answers)[i].participants) continue;
        storeLocked(backends[i]->id, (*answers)[i].asked_at_us, std::move(*(*answers)[i].participants));
    }
}

void AttendeeLimit::observe(const std::string& backend_id, std::int64_t asked_at_us,
                            std::unordered_map<std::string, int> participants) {
    std::lock_guard lock(mutex_);
    storeLocked(backend_id, asked_at_us, std::move(participants));
}

void AttendeeLimit::storeLocked(const std::string& backend_id, std::int64_t asked_at_us,
                                std::unordered_map<std::string, int> participants) {
    auto& counts = counts_[backend_id];
    if (asked_at_us < counts.measured_at_us) return;  // an older answer arriving late
    counts.measured_at_us = asked_at_us;
    counts.participants = std::move(participants);
    // Joins redirected before the question are in the answer; later ones are not yet.
    // (A real client connects a few seconds after its redirect, so for those seconds a
    // user may count neither way; the limit errs by at most the joins of that moment.)
    for (auto& [id, times] : counts.joins)
        std::erase_if(times, [&](std::int64_t t) { return t < counts.measured_at_us; });
}

int AttendeeLimit::attendees(const cluster::ClusterSnapshot& snapshot, const std::string& frontend_id) {
    const auto meetings = snapshot.meetingsOfFrontend(frontend_id);
    std::map<std::string, std::vector<std::string>> by_backend;
    std::map<std::string, std::int64_t> newest;  ///< latest created_at per backend
    for (const auto& m : meetings) {
        if (!m->backend_id) continue;
        by_backend[*m->backend_id].push_back(m->id);
        auto& latest = newest[*m->backend_id];
        latest = std::max(latest, m->created_at);
    }

    const auto now = clock_.nowMicros();
    const auto max_age_us = std::chrono::duration_cast<std::chrono::microseconds>(max_age_).count();
    std::vector<cluster::BackendPtr> stale;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [backend_id, ids] : by_backend) {
            // An answer older than a meeting cannot know who is in it, however recent.
            const auto it = counts_.find(backend_id);
            if (it == counts_.end() || now - it->second.measured_at_us > max_age_us ||
                it->second.measured_at_us < newest[backend_id])
                if (auto backend = snapshot.backend(backend_id)) stale.push_back(backend);
        }
    }
    if (!stale.empty()) refresh(stale);

    int total = 0;
    std::lock_guard lock(mutex_);
    for (const auto& [backend_id, ids] : by_backend) {
        const auto it = counts_.find(backend_id);
        if (it == counts_.end()) continue;
        for (const auto& id : ids) {
            if (const auto p = it->second.participants.find(id); p != it->second.participants.end()) total += p->second;
            if (const auto j = it->second.joins.find(id); j != it->second.joins.end())
                total += static_cast<int>(j->second.size());
        }
    }
    return total;
}

}  // namespace b3s::core::gateway
