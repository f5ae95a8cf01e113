#pragma once
// One poll of one backend: its getMeetings answer, read into what the controller needs —
// health (did it answer, how fast), load (meetings and attendees) and the meeting list the
// reconciler compares with the store.

#include "cluster/backend_api.hpp"
#include "store/records.hpp"

#include "util/clock.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace b3s::core::cluster {

struct PolledMeeting {
    std::string meeting_id;  ///< as the backend knows it (b3scale-encoded for ours)
    std::string internal_id;
    std::string frontend_key;  ///< its `meta_b3s-frontend` metadata, empty when absent
    bool breakout = false;
    int participants = 0;
    int listeners = 0;
    int video = 0;
    bool running = false;            ///< BBB's `running`: someone has joined and it has not ended
    std::int64_t start_time_ms = 0;  ///< BBB's `startTime`, 0 when absent
    std::string state_json;          ///< bbb::meetingStateJson of the <meeting>
    /// What can be read back of its create (name, metadata as meta_*), as a create_params
    /// document, for a meeting the reconciler adopts.
    std::string create_params_json = "{}";
    /// Everyone in the meeting: BBB's participantCount already includes the listen-only
    /// users (listenerCount) and those sharing video (videoCount), so they are not added
    /// again — unlike b3scale's metric, no kind of attendee is left out either.
    int attendees() const noexcept { return participants; }
};

struct PollResult {
    bool succeeded = false;
    std::string error;  ///< one line for logs and last_error; never a URL or secret
    std::chrono::microseconds latency{0};
    std::int64_t asked_at_us = 0;  ///< when the question was sent
    std::vector<PolledMeeting> meetings;
    int attendees() const noexcept;
};

/// Asks `backend` for its meetings. Never throws (besides std::bad_alloc).
PollResult pollBackend(const BackendApi& api, const store::Backend& backend, const Clock& clock);

}  // namespace b3s::core::cluster
