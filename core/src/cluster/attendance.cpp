#include "cluster/attendance.hpp"

#include <algorithm>

namespace b3s::core::cluster {
namespace {

constexpr std::size_t kMaxJoinsKept = 10'000;
constexpr std::int64_t kJoinMemoryUs = 600'000'000;

using Joins = std::deque<std::pair<std::string, std::int64_t>>;

// The first join at or after `at_us` (joins are ordered by time).
Joins::const_iterator firstSince(const Joins& joins, std::int64_t at_us) {
    return std::lower_bound(joins.begin(), joins.end(), at_us,
                            [](const auto& join, std::int64_t t) { return join.second < t; });
}

void dropBefore(Joins& joins, std::int64_t at_us) {
    while (!joins.empty() && joins.front().second < at_us) joins.pop_front();
}

}  // namespace

void Attendance::measured(const std::string& backend_id, std::int64_t asked_at_us,
                          std::unordered_map<std::string, int> participants) {
    std::lock_guard lock(mutex_);
    auto& b = backends_[backend_id];
    if (asked_at_us < b.measured_at_us) return;  // an older answer arriving late
    b.measured_at_us = asked_at_us;
    b.measured_total = 0;
    for (const auto& [id, n] : participants) b.measured_total += n;
    b.participants = std::move(participants);
    // Joins redirected before the question are in the answer (or never connected).
    dropBefore(b.joins, asked_at_us);
    ++version_;
}

void Attendance::joined(const std::string& backend_id, const std::string& meeting_id, std::int64_t at_us) {
    std::lock_guard lock(mutex_);
    auto& joins = backends_[backend_id].joins;
    // A backend that stopped answering is asked again and again; until it answers, joins of
    // the last minutes are all that can matter.
    if (joins.size() >= kMaxJoinsKept) dropBefore(joins, at_us - kJoinMemoryUs);
    // Callers read the clock before taking the lock, so a join may be a little older than
    // the last one: it goes where its time says.
    if (joins.empty() || joins.back().second <= at_us)
        joins.emplace_back(meeting_id, at_us);
    else
        joins.emplace(std::upper_bound(joins.begin(), joins.end(), at_us,
                                       [](std::int64_t t, const auto& join) { return t < join.second; }),
                      meeting_id, at_us);
    ++version_;
}

int Attendance::backendAttendees(const store::Backend& row) const {
    std::lock_guard lock(mutex_);
    const auto it = backends_.find(row.id);
    if (it == backends_.end()) {
        if (row.agent_report && row.agent_report->attendees && row.agent_report->at > row.synced_at)
            return *row.agent_report->attendees;
        return row.attendees_count;
    }
    const auto& b = it->second;
    // The row's figure is another instance's poll (synced_at: when it finished) when newer.
    std::int64_t since = b.measured_at_us;
    int total = b.measured_total;
    if (row.synced_at > b.measured_at_us) {
        since = row.synced_at;
        total = row.attendees_count;
    }
    // A node agent's count (its heartbeat, once a second) when it is the newest figure.
    if (row.agent_report && row.agent_report->attendees && row.agent_report->at > since) {
        since = row.agent_report->at;
        total = *row.agent_report->attendees;
    }
    return total + static_cast<int>(b.joins.end() - firstSince(b.joins, since));
}

std::optional<Attendance::MeetingsCount> Attendance::meetingAttendees(
    const std::string& backend_id, const std::vector<std::string>& meeting_ids) const {
    std::lock_guard lock(mutex_);
    const auto it = backends_.find(backend_id);
    if (it == backends_.end() || it->second.measured_at_us < 0) return std::nullopt;
    const auto& b = it->second;
    MeetingsCount count;
    count.measured_at_us = b.measured_at_us;
    for (const auto& id : meeting_ids)
        if (const auto p = b.participants.find(id); p != b.participants.end()) count.attendees += p->second;
    for (const auto& j : b.joins)
        if (std::find(meeting_ids.begin(), meeting_ids.end(), j.first) != meeting_ids.end()) ++count.attendees;
    return count;
}

std::uint64_t Attendance::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

}  // namespace b3s::core::cluster
