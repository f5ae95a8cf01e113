#pragma once
// The BBB API semantics of the fake server over in-memory state, without sockets: one
// request in, one answer out. FakeBbbServer adds HTTP, faults, counters and callbacks.

#include "fake_bbb/checksum_verifier.hpp"
#include "fake_bbb/fake_bbb_types.hpp"
#include "fake_bbb/query_params.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::test::bbb {

inline constexpr std::string_view kXmlContentType = "text/xml;charset=UTF-8";

struct ApiRequest {
    std::string method;
    std::string call;  ///< "" for the index, else the path after /bigbluebutton/api/
    std::string rawQuery;
    std::string contentType;
    std::string body;
};

struct ApiAnswer {
    int status = 200;
    std::string contentType{kXmlContentType};
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> callbacks;  ///< URLs to GET once the answer is out
};

/// Thread-safe: one mutex guards all state; every public method takes it.
class BbbApi {
public:
    /// `serverUrl` is "http://host:port", the origin of client and callback URLs.
    BbbApi(std::string secret, const FakeBbbOptions& options, std::string serverUrl);

    /// A request under /bigbluebutton/api (the index when call is "").
    ApiAnswer handleApi(const ApiRequest& request);
    /// GET /html5client/join?sessionToken=…: the HTML5 client "connecting".
    ApiAnswer handleClient(const ApiRequest& request);

    /// `<response><returncode>FAILED</returncode><messageKey>…` at HTTP 200.
    static ApiAnswer failed(std::string_view messageKey, std::string_view message);

    std::vector<MeetingInfo> meetings() const;
    std::optional<MeetingInfo> meeting(const std::string& meetingId) const;
    void setAttendees(const std::string& meetingId, int participants, int listeners, int voice, int video,
                      int moderators);
    bool removeAttendee(const std::string& meetingId, const std::string& userId);
    int connectPendingAttendees(const std::string& meetingId);
    void setRecordingMarks(const std::string& meetingId, bool marks);
    /// Ends the meeting as BBB would on its own; returns the callback URLs to fire, or
    /// nullopt for an unknown meeting.
    std::optional<std::vector<std::string>> endMeeting(const std::string& meetingId);
    void reset();
    void addRecording(RecordingInfo recording);
    std::vector<RecordingInfo> recordings() const;

private:
    struct Call {
        const ApiRequest& request;
        QueryParams params;
    };
    using Handler = ApiAnswer (BbbApi::*)(const Call&);
    struct Route {
        Handler handler;
        bool get;
        bool post;
        bool checksum;
    };

    ApiAnswer index(const Call& call);
    ApiAnswer create(const Call& call);
    ApiAnswer join(const Call& call);
    ApiAnswer end(const Call& call);
    ApiAnswer isMeetingRunning(const Call& call);
    ApiAnswer getMeetingInfo(const Call& call);
    ApiAnswer getMeetings(const Call& call);
    ApiAnswer insertDocument(const Call& call);
    ApiAnswer sendChatMessage(const Call& call);
    ApiAnswer getRecordings(const Call& call);
    ApiAnswer publishRecordings(const Call& call);
    ApiAnswer deleteRecordings(const Call& call);
    ApiAnswer updateRecordings(const Call& call);
    ApiAnswer getRecordingTextTracks(const Call& call);
    ApiAnswer enter(const Call& call);

    static const std::map<std::string, Route, std::less<>>& routes();
    ApiAnswer joinError(const Call& call, const MeetingInfo* meeting, std::string_view key, std::string_view message);
    ApiAnswer createResponse(const MeetingInfo& meeting, std::string_view key, std::string_view message) const;
    void writeMeeting(class XmlWriter& writer, const MeetingInfo& meeting, bool inList) const;
    void recordModules(MeetingInfo& meeting, const std::string& body);
    std::vector<std::string> endLocked(const std::string& meetingId);
    /// The meeting and index of the attendee holding `sessionToken`, pending or present.
    std::pair<MeetingInfo*, AttendeeInfo*> findSession(std::string_view sessionToken);
    bool connectLocked(MeetingInfo& meeting, std::string_view sessionToken);
    void admit(MeetingInfo& meeting, AttendeeInfo attendee);
    MeetingInfo* find(std::string_view meetingId);
    const MeetingInfo* find(std::string_view meetingId) const;
    std::string random(std::size_t length);
    std::string uniqueVoiceBridge();
    std::int64_t nowMs() const;

    const std::string secret_;
    const FakeBbbOptions options_;
    const std::string serverUrl_;
    const ChecksumVerifier verifier_;

    mutable std::mutex mutex_;
    std::map<std::string, MeetingInfo, std::less<>> meetings_;
    /// Ended meetings: join answers meetingForciblyEnded until the id is created again.
    std::set<std::string, std::less<>> ended_;
    std::vector<RecordingInfo> recordings_;
    std::mt19937_64 rng_;
    std::uint64_t nextOrder_ = 0;
    std::uint64_t nextInjected_ = 0;
};

}  // namespace b3s::test::bbb
