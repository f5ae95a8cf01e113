#pragma once
// Plain data shared by FakeBbbServer's control API: options, faults, and snapshots of the
// fake's state. Snapshots are copies; changing them changes nothing on the server.

#include "fake_bbb/sign_query.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::test::bbb {

enum class FaultMode {
    none,      ///< answer normally
    down,      ///< listener closed: connections are refused (use FakeBbbServer::bringUp())
    hang,      ///< accept and read the request, answer only when the fault is cleared or `delay` passed
    slow,      ///< answer normally after `delay`
    failed,    ///< every call answers HTTP 200 FAILED with `messageKey`/`message`
    garbage,   ///< HTTP 200 with a body that is not XML
    http500,   ///< HTTP 500 with an HTML error page
    flapping,  ///< API calls take turns: the first after setFault answers FAILED, the next normally, …
};

std::string_view faultModeName(FaultMode mode);

struct Fault {
    FaultMode mode = FaultMode::none;
    /// slow: added before every answer; hang: the longest a request is held.
    std::chrono::milliseconds delay{0};
    std::string messageKey;  ///< failed only
    std::string message;     ///< failed only
    std::string body;        ///< garbage/http500: replaces the default body when not empty

    static Fault none() { return {}; }
    static Fault down() { return {FaultMode::down, {}, {}, {}, {}}; }
    static Fault hang(std::chrono::milliseconds max = std::chrono::seconds(30)) {
        return {FaultMode::hang, max, {}, {}, {}};
    }
    static Fault slow(std::chrono::milliseconds delay) { return {FaultMode::slow, delay, {}, {}, {}}; }
    static Fault failed(std::string messageKey = "internalError",
                        std::string message = "The fake BBB server was told to fail.") {
        return {FaultMode::failed, {}, std::move(messageKey), std::move(message), {}};
    }
    static Fault garbage(std::string body = {}) { return {FaultMode::garbage, {}, {}, {}, std::move(body)}; }
    static Fault http500(std::string body = {}) { return {FaultMode::http500, {}, {}, {}, std::move(body)}; }
    /// A server whose health flips on every call, however fast the calls come.
    static Fault flapping() {
        return {FaultMode::flapping, {}, "internalError", "The fake BBB server fails every other call.", {}};
    }
};

struct FakeBbbOptions {
    /// Tests bind loopback only; fake_bbb may be told otherwise.
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0: an ephemeral port, kept across takeDown()/bringUp()
    unsigned threads = 16;   ///< HTTP worker threads; each keep-alive connection holds one
    std::chrono::seconds keep_alive_timeout{10};

    /// Real BBB lists a user in getMeetingInfo only once their HTML5 client has connected,
    /// seconds after the join redirect. true: a join counts at once (what most tests want).
    /// false: the user is pending until the client URL (/html5client/join?sessionToken=…)
    /// or /bigbluebutton/api/enter is fetched, or connectPendingAttendees() is called.
    bool joins_count_immediately = true;

    /// bbb-web's supportedChecksumAlgorithms (default: all four).
    std::set<ChecksumAlgorithm> supported_algorithms = {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256,
                                                        ChecksumAlgorithm::sha384, ChecksumAlgorithm::sha512};
    /// Also accept the 2.5–2.7 form-POST checksum over sorted parameters (bbb-api.md §2.2).
    bool accept_sorted_params_checksum = false;

    std::string api_version = "2.0";
    std::string bbb_version = "3.0.0";  ///< the index's <bbbVersion>
    std::string default_dial_number = "613-555-1234";

    /// Seed for passwords, voice bridges, user ids and tokens; nullopt: std::random_device.
    std::optional<std::uint64_t> seed;
    /// Milliseconds since the epoch for createTime/startTime/endTime; empty: the system clock.
    std::function<std::int64_t()> now_ms;

    std::chrono::milliseconds callback_timeout{2000};  ///< per end-callback HTTP GET
    std::size_t max_body_bytes = 4 * 1024 * 1024;      ///< bigger bodies get HTTP 413
    std::size_t request_history = 256;                 ///< requests kept for requests()
};

struct AttendeeInfo {
    std::string userId;          ///< <userID>: the join's userID, else internalUserId
    std::string internalUserId;  ///< "w_" + 12 characters
    std::string fullName;
    std::string role;  ///< MODERATOR or VIEWER
    bool isPresenter = false;
    bool isListeningOnly = false;
    bool hasJoinedVoice = false;
    bool hasVideo = false;
    std::string clientType = "HTML5";
    bool guest = false;
    std::string sessionToken;
    std::map<std::string, std::string> customData;  ///< userdata-* without the prefix
};

struct PresentationDocument {
    std::string url;
    std::string filename;
    std::string name;     ///< inline document: its name attribute
    std::string content;  ///< inline document: the base64 text as received
    std::string current;
    std::string downloadable;
    std::string removable;
};

struct ChatMessage {
    std::string userName;
    std::string message;
};

struct MeetingInfo {
    std::string meetingId;
    std::string internalMeetingId;  ///< sha1hex(meetingId) + "-" + createTime
    std::string name;
    std::string parentMeetingId = "bbb-none";
    std::string attendeePw;
    std::string moderatorPw;
    std::string voiceBridge;
    std::string dialNumber;
    std::string logoutUrl;
    std::string meetingEndedUrl;
    std::string guestPolicy = "ALWAYS_ACCEPT";
    std::int64_t createTime = 0;
    std::string createDate;
    std::int64_t startTime = 0;
    std::int64_t endTime = 0;
    int duration = 0;
    bool record = false;
    int maxUsers = 0;
    bool isBreakout = false;
    int sequence = 0;
    bool freeJoin = false;
    std::vector<std::string> breakoutRooms;       ///< internal ids of this meeting's breakouts
    std::map<std::string, std::string> metadata;  ///< meta_* names lower-cased, prefix removed
    std::vector<AttendeeInfo> attendees;          ///< present: these are counted
    std::vector<AttendeeInfo> pendingAttendees;   ///< joined, client not connected / guest waiting
    bool hasUserJoined = false;
    bool hasBeenForciblyEnded = false;
    bool recordingMarks = false;                      ///< reported as recordingmarks= on the end callback
    std::vector<PresentationDocument> presentations;  ///< from create and insertDocument bodies
    std::vector<std::string> xmlBodies;               ///< raw XML bodies of create/insertDocument
    std::string clientSettingsOverride;
    std::vector<ChatMessage> chatMessages;
    std::vector<std::pair<std::string, std::string>> createParams;  ///< decoded, of the first create
    int createCalls = 0;                                            ///< successful creates, duplicates included
    std::uint64_t creationOrder = 0;                                ///< getMeetings order

    bool running() const { return !attendees.empty(); }
    int participantCount() const { return static_cast<int>(attendees.size()); }
    int listenerCount() const;
    int voiceParticipantCount() const;
    int videoCount() const;
    int moderatorCount() const;
};

struct PreviewImage {
    std::string url;
    int width = 176;
    int height = 136;
    std::string alt;
};

struct PlaybackFormat {
    std::string type = "presentation";
    std::string url;
    std::int64_t processingTime = 0;
    std::int64_t length = 0;  ///< minutes
    std::vector<PreviewImage> images;
};

struct RecordingInfo {
    std::string recordId;  ///< empty: the meeting's internal id (or a generated one)
    std::string meetingId;
    std::string internalMeetingId;
    std::string name;
    bool isBreakout = false;
    bool published = true;
    std::string state = "published";  ///< processing|processed|published|unpublished|deleted
    std::int64_t startTime = 0;
    std::int64_t endTime = 0;
    int participants = 0;
    std::map<std::string, std::string> metadata;
    std::vector<PlaybackFormat> formats;
};

struct RecordedRequest {
    std::string method;
    std::string uri;       ///< request target exactly as received
    std::string path;      ///< before '?', undecoded
    std::string call;      ///< "index", an API call name, or the path for anything else
    std::string rawQuery;  ///< after '?', undecoded
    std::vector<std::pair<std::string, std::string>> headers;  ///< names as received
    std::string body;

    /// First header named `name`, compared case-insensitively.
    std::optional<std::string> header(std::string_view name) const;
    bool hasHeader(std::string_view name) const { return header(name).has_value(); }
};

struct CallbackRecord {
    std::string url;
    int status = 0;     ///< HTTP status, 0 when no answer came
    std::string error;  ///< why no answer came
};

}  // namespace b3s::test::bbb
