#include "gateway/attendee_limit.hpp"

#include "log/logger.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>

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

AttendeeLimit::AttendeeLimit(cluster::Attendance& attendance, const cluster::BackendApi& api, cluster::FanOut& fan_out,
                             const Clock& clock, std::chrono::milliseconds max_age, std::chrono::milliseconds timeout)
    : attendance_(attendance), api_(api), fan_out_(fan_out), clock_(clock), max_age_(max_age), timeout_(timeout) {}

void AttendeeLimit::refresh(const std::vector<cluster::BackendPtr>& backends) {
    std::vector<std::function<void()>> tasks;
    for (const auto& backend : backends) {
        // By reference to what outlives the fan-out (a late task may run after this object).
        tasks.push_back([&attendance = attendance_, &api = api_, &clock = clock_, backend] {
            const auto asked_at_us = clock.nowMicros();
            auto result = api.call(*backend, {"getMeetings", {}, {}});
            if (!result.succeeded()) {
                limitLog().warn("attendee_count_failed", {{"backend", backend->host}, {"error", result.error}});
                return;
            }
            std::unordered_map<std::string, int> participants;
            if (const auto* meetings = result.xml->child("meetings"))
                for (const auto* m : meetings->childrenNamed("meeting"))
                    participants[m->childText("meetingID").value_or("")] =
                        toInt(m->childText("participantCount").value_or("0"));
            attendance.measured(backend->id, asked_at_us, std::move(participants));
        });
    }
    fan_out_.runAll(std::move(tasks), std::chrono::steady_clock::now() + timeout_);
}

int AttendeeLimit::attendees(const cluster::ClusterSnapshot& snapshot, const std::string& frontend_id) {
    std::map<std::string, std::vector<std::string>> by_backend;
    std::map<std::string, std::int64_t> newest;  ///< latest created_at per backend
    for (const auto& m : snapshot.meetingsOfFrontend(frontend_id)) {
        if (!m->backend_id) continue;
        by_backend[*m->backend_id].push_back(m->id);
        auto& latest = newest[*m->backend_id];
        latest = std::max(latest, m->created_at);
    }

    const auto now = clock_.nowMicros();
    const auto max_age_us = std::chrono::duration_cast<std::chrono::microseconds>(max_age_).count();
    std::vector<cluster::BackendPtr> stale;
    for (const auto& [backend_id, ids] : by_backend) {
        // An answer older than a meeting cannot know who is in it, however recent.
        const auto count = attendance_.meetingAttendees(backend_id, ids);
        if (!count || now - count->measured_at_us > max_age_us || count->measured_at_us < newest[backend_id])
            if (auto backend = snapshot.backend(backend_id)) stale.push_back(backend);
    }
    if (!stale.empty()) refresh(stale);

    int total = 0;
    for (const auto& [backend_id, ids] : by_backend)
        if (const auto count = attendance_.meetingAttendees(backend_id, ids)) total += count->attendees;
    return total;
}

}  // namespace b3s::core::gateway
