#pragma once
// The BBB events the agent relays, decoded from the JSON akka-apps publishes on redis
// (channel from-akka-apps-redis-channel):
//
//   {"envelope":{"name":…,"routing":{…},"timestamp":…},"core":{"header":{…},"body":{…}}}
//
// Shapes as bbb-common-message defines them (org.bigbluebutton.common2.msgs):
//   MeetingCreatedEvtMsg     body.props.meetingProp.intId / extId (DefaultProps)
//   MeetingEndedEvtMsg       body.meetingId
//   MeetingDestroyedEvtMsg   body.meetingId
//   UserJoinedMeetingEvtMsg  header.meetingId; body.intId, extId, name, role, clientType
//   UserLeftMeetingEvtMsg    header.meetingId, header.userId (body.intId as well)
//   RecordingStatusChangedEvtMsg  header.meetingId; body.recording (bool), body.setBy
// Every meeting id here is BBB's internal meeting id.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace b3s::agent {

struct JoinedAttendee {
    std::string user_id;           ///< body.extId: the join's userID
    std::string internal_user_id;  ///< body.intId
    std::string full_name;         ///< body.name
    std::string role;              ///< body.role: MODERATOR or VIEWER
    std::string client_type;       ///< body.clientType (BBB 2.6+; "" before)
};

struct MeetingCreated {
    std::string internal_meeting_id;
    std::string meeting_id;  ///< extId, the frontend's meetingID as BBB got it
};
struct MeetingEnded {
    std::string internal_meeting_id;
};
struct MeetingDestroyed {
    std::string internal_meeting_id;
};
struct UserJoined {
    std::string internal_meeting_id;
    JoinedAttendee attendee;
};
struct UserLeft {
    std::string internal_meeting_id;
    std::string internal_user_id;
};

/// Recording switched on or off in a running meeting (the record button).
struct RecordingChanged {
    std::string internal_meeting_id;
    bool recording = false;
};

using BbbEvent = std::variant<MeetingCreated, MeetingEnded, MeetingDestroyed, UserJoined, UserLeft, RecordingChanged>;

/// BBB's name of the event ("UserJoinedMeetingEvtMsg", …).
const char* eventName(const BbbEvent& event) noexcept;
/// The internal meeting id the event is about (the key of its relay lane).
const std::string& internalMeetingId(const BbbEvent& event);

struct DecodedMessage {
    enum class Outcome {
        Event,      ///< one of ours, in `event`
        Ignored,    ///< valid JSON, another message (most of the channel's traffic)
        Malformed,  ///< not JSON, or one of ours without a required field; `error` says which
    };
    Outcome outcome = Outcome::Ignored;
    std::optional<BbbEvent> event;
    std::string name;   ///< envelope.name when there was one
    std::string error;  ///< Malformed only
};

/// Decodes one redis message. Never throws. Pure.
DecodedMessage decodeBbbMessage(std::string_view json);

/// A cheap test the redis reader runs before queueing a message: false only when the text
/// names none of the relayed events (so it cannot be one). Pure.
bool mayBeRelayed(std::string_view json) noexcept;

}  // namespace b3s::agent
