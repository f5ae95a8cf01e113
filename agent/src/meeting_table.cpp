#include "meeting_table.hpp"

namespace b3s::agent {
namespace {

struct Apply {
    std::map<std::string, std::set<std::string>>& meetings;

    void operator()(const MeetingCreated& e) const { meetings[e.internal_meeting_id]; }
    void operator()(const MeetingEnded& e) const { meetings.erase(e.internal_meeting_id); }
    void operator()(const MeetingDestroyed& e) const { meetings.erase(e.internal_meeting_id); }
    void operator()(const UserJoined& e) const { meetings[e.internal_meeting_id].insert(e.attendee.internal_user_id); }
    void operator()(const UserLeft& e) const {
        const auto it = meetings.find(e.internal_meeting_id);
        if (it != meetings.end()) it->second.erase(e.internal_user_id);
    }
    void operator()(const RecordingChanged&) const {}  // counts nobody
};

}  // namespace

void MeetingTable::apply(const BbbEvent& event) {
    std::visit(Apply{table_.meetings}, event);
}

void MeetingTable::replace(MeetingSnapshot snapshot) {
    table_ = std::move(snapshot);
}

MeetingCounts MeetingTable::counts() const {
    MeetingCounts c;
    c.meetings = static_cast<int>(table_.meetings.size());
    for (const auto& [id, users] : table_.meetings) c.attendees += static_cast<int>(users.size());
    return c;
}

}  // namespace b3s::agent
