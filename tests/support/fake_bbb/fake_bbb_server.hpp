#pragma once
// A faithful fake BigBlueButton server for b3scale's integration tests and benchmarks:
// a real HTTP server on loopback speaking the BBB API as bbb-api.md describes (checksums,
// stateful meetings, BBB's XML envelopes and messageKeys), plus a C++ control API to
// inspect state, inject load and recordings, and inject faults.
//
// Deliberate differences from a real BBB 3.0 (see README.md): end removes the meeting at
// once; joins count immediately unless FakeBbbOptions::joins_count_immediately is false;
// no presentation conversion, no recording processing, no webhooks.

#include "fake_bbb/fake_bbb_types.hpp"
#include "fake_bbb/sign_query.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::test::bbb {

/// Thread-safe: every method may be called from any thread while requests are served.
class FakeBbbServer {
public:
    /// Binds options.host:options.port (0: ephemeral) and starts serving before returning.
    /// An empty secret turns checksum checking off, as in bbb-web. Throws Poco::Exception
    /// when the address cannot be bound.
    explicit FakeBbbServer(std::string secret, FakeBbbOptions options = {});
    /// Stops accepting, releases hanging/slow requests, closes connections and joins every
    /// thread (end callbacks still queued are dropped).
    ~FakeBbbServer();
    FakeBbbServer(const FakeBbbServer&) = delete;
    FakeBbbServer& operator=(const FakeBbbServer&) = delete;

    std::uint16_t port() const;
    /// "http://127.0.0.1:PORT/bigbluebutton/api/" — append a call name.
    std::string baseUrl() const;
    /// "http://127.0.0.1:PORT" — the origin of join redirects.
    std::string serverUrl() const;
    const std::string& secret() const;
    /// baseUrl() + call + "?" + signQuery(call, query, secret(), algorithm).
    std::string signedUrl(std::string_view call, std::string_view query,
                          ChecksumAlgorithm algorithm = ChecksumAlgorithm::sha256) const;

    // --- state --------------------------------------------------------------------------
    /// All meetings, in creation order.
    std::vector<MeetingInfo> meetings() const;
    std::optional<MeetingInfo> meeting(const std::string& meetingId) const;
    /// Present attendees of a meeting (empty for an unknown meeting).
    std::vector<AttendeeInfo> attendees(const std::string& meetingId) const;
    /// Replaces the meeting's attendees with `participants` synthetic users: the first
    /// `moderators` are MODERATOR, the first `listeners` listen only, the first `voice` have
    /// joined voice, the first `video` share video. Counts in getMeetingInfo/getMeetings
    /// follow. Throws std::invalid_argument for an unknown meeting or counts > participants.
    void setAttendees(const std::string& meetingId, int participants, int listeners = 0, int voice = 0, int video = 0,
                      int moderators = 0);
    /// Removes one attendee (by userID or internal user id), present or pending.
    bool removeAttendee(const std::string& meetingId, const std::string& userId);
    /// Makes every pending attendee present (their client "connected"); returns how many.
    int connectPendingAttendees(const std::string& meetingId);
    /// What the end callback reports as recordingmarks= (default false).
    void setRecordingMarks(const std::string& meetingId, bool marks);
    /// Ends a meeting as BBB would by itself (duration over, last user left): removes it
    /// and fires its callbacks. False for an unknown meeting.
    bool endMeeting(const std::string& meetingId);
    /// Forgets all meetings and recordings without callbacks, like a restarted BBB.
    void reset();

    /// Adds a recording for getRecordings and the other recording calls. An empty recordId
    /// becomes the meeting's internal id; internalMeetingId and name are filled from a
    /// running meeting of that meetingId when empty.
    void addRecording(RecordingInfo recording);
    std::vector<RecordingInfo> recordings() const;

    // --- faults -------------------------------------------------------------------------
    /// FaultMode::down closes the listener (same as takeDown()); any other mode while down
    /// brings the server back up on the same port first.
    void setFault(Fault fault);
    Fault fault() const;
    /// Closes the listening socket and aborts open connections: new connections are refused.
    void takeDown();
    /// Rebinds the same port and serves again; clears a `down` fault. Throws Poco::Exception
    /// if another process took the port meanwhile.
    void bringUp();
    bool isUp() const;

    // --- observation --------------------------------------------------------------------
    /// Requests received per call name ("index", "create", …; other paths by their path),
    /// counted on arrival, before faults and checksum checks.
    std::size_t callCount(std::string_view call) const;
    std::map<std::string, std::size_t> callCounts() const;
    std::size_t totalCalls() const;
    void resetCounters();
    /// The most recent request, or the most recent one for `call`.
    std::optional<RecordedRequest> lastRequest() const;
    std::optional<RecordedRequest> lastRequest(std::string_view call) const;
    /// The last FakeBbbOptions::request_history requests, oldest first.
    std::vector<RecordedRequest> requests() const;
    /// Waits until callCount(call) >= atLeast; false on timeout.
    bool waitForCall(std::string_view call, std::chrono::milliseconds timeout, std::size_t atLeast = 1) const;

    /// End callbacks attempted so far (URL, HTTP status or error).
    std::vector<CallbackRecord> callbacks() const;
    bool waitForCallbacks(std::size_t atLeast, std::chrono::milliseconds timeout) const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace b3s::test::bbb
