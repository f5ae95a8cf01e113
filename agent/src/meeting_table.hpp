#pragma once
// The agent's own count of the node's meetings and attendees, kept from the same events it
// relays and seeded from BBB's getMeetings (MeetingSnapshot). Attendees are sets of internal
// user ids, so a join seen twice (in the seed and as an event) counts once. Not thread-safe:
// the dispatcher thread owns it.

#include "bbb_event.hpp"

#include <map>
#include <set>
#include <string>

namespace b3s::agent {

struct MeetingCounts {
    int meetings = 0;
    int attendees = 0;
    bool operator==(const MeetingCounts&) const = default;
};

/// Meetings by internal id, each with its attendees' internal user ids.
struct MeetingSnapshot {
    std::map<std::string, std::set<std::string>> meetings;
};

class MeetingTable {
public:
    /// Created: the meeting is counted. Ended or destroyed: it is not any more. Joined: the
    /// meeting is counted, the user in it. Left: the user is not.
    void apply(const BbbEvent& event);
    /// Starts over from what BBB listed.
    void replace(MeetingSnapshot snapshot);
    MeetingCounts counts() const;
    const MeetingSnapshot& snapshot() const noexcept { return table_; }

private:
    MeetingSnapshot table_;
};

}  // namespace b3s::agent
