#pragma once
// Who is in the meetings of each backend, as this instance knows it between two polls: the
// participants per meeting of the backend's last answer (a controller poll, or a question the
// attendee limit asked), plus every join this instance redirected there since that answer
// was asked for. A newer answer replaces both — the joins it already counts are dropped — so
// nothing is counted twice, and a join whose client never connected stops counting at the
// next poll. A node agent's count (Backend::agent_report, sent with its heartbeat) is such an
// answer too, when it is the newest. The balancer's attendee figure and the attendee limit read it; joins of other
// instances arrive with the next poll (through the backend row).
//
// Thread-safe; one short critical section per call.

#include "store/records.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace b3s::core::cluster {

class Attendance {
public:
    /// A backend answered, for the question asked at `asked_at_us`: participants per meeting
    /// id (as the backend knows it). An answer older than the one held is ignored.
    void measured(const std::string& backend_id, std::int64_t asked_at_us,
                  std::unordered_map<std::string, int> participants);
    /// A join to `meeting_id` on the backend was redirected at `at_us`.
    void joined(const std::string& backend_id, const std::string& meeting_id, std::int64_t at_us);

    /// Attendees of the backend now: the newer of this instance's last answer and the row's
    /// (another instance's poll), plus the joins redirected here since.
    int backendAttendees(const store::Backend& row) const;

    struct MeetingsCount {
        std::int64_t measured_at_us = 0;  ///< when the answer counted was asked for
        int attendees = 0;                ///< answer + joins since, for the meetings asked
    };
    /// Attendees of these meetings of the backend; nullopt when the backend never answered
    /// this instance.
    std::optional<MeetingsCount> meetingAttendees(const std::string& backend_id,
                                                  const std::vector<std::string>& meeting_ids) const;

    /// Bumped by every change; readers that cache figures compare it.
    std::uint64_t version() const;

private:
    struct Backend {
        std::int64_t measured_at_us = -1;  ///< -1: never answered
        int measured_total = 0;
        std::unordered_map<std::string, int> participants;
        /// Meeting id, when; ordered by time (oldest first), so pruning and counting the joins
        /// since a moment never walk the whole list: a join storm puts tens of thousands here
        /// between two polls, and every join and every placement decision reads it.
        std::deque<std::pair<std::string, std::int64_t>> joins;
    };

    mutable std::mutex mutex_;
    std::unordered_map<std::string, Backend> backends_;
    std::uint64_t version_ = 0;
};

}  // namespace b3s::core::cluster
