#pragma once
// What the last poll of each backend said about each of its meetings — participants, video,
// running, start — kept for the per-meeting metric families (b3scale_meeting_attendees,
// b3scale_meeting_durations) so a scrape reads memory, never the database or a backend.
// Fed by the controller after every successful poll of this instance; another instance's
// polls are not seen here (each instance scrapes its own view; sum with max() across them).
//
// Thread-safe.

#include "cluster/backend_poll.hpp"

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace b3s::core::cluster {

struct MeetingFigures {
    int participants = 0;
    int video = 0;
    bool running = false;
    std::int64_t start_time_ms = 0;
};

class PollFigures {
public:
    void observe(const std::string& backend_id, const PollResult& poll);
    void forget(const std::string& backend_id);
    /// meeting id (as the backend knows it) → figures, over every backend.
    std::unordered_map<std::string, MeetingFigures> meetings() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::unordered_map<std::string, MeetingFigures>> by_backend_;
};

}  // namespace b3s::core::cluster
