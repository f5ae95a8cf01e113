#pragma once
// What b3scaled is told about a BBB event: the request to send (spec §3.8). Meeting and user
// events become RPCs, `POST /api/v1/agent/rpc {"action", "payload"}` whose payload is
// standard, padded base64 of the JSON parameters (b3scale's agents send a Go []byte); a
// destroyed meeting is deleted, `DELETE /api/v1/meetings/internal:<id>`.
//
//   MeetingCreatedEvtMsg    meeting_set_running     {internal_meeting_id, running: true}
//   MeetingEndedEvtMsg      meeting_state_reset     {internal_meeting_id}
//   MeetingDestroyedEvtMsg  DELETE meetings/internal:<id>
//   UserJoinedMeetingEvtMsg meeting_add_attendee    {internal_meeting_id, attendee: {UserID,
//                           InternalUserID, FullName, Role, ClientType, IsPresenter: false,
//                           IsListeningOnly: false, HasJoinedVoice: false, HasVideo: false}}
//   UserLeftMeetingEvtMsg   meeting_remove_attendee {internal_meeting_id, internal_user_id}

#include "bbb_event.hpp"

#include <string>
#include <string_view>

namespace b3s::agent {

struct RelayCall {
    std::string method;  ///< POST or DELETE
    std::string path;    ///< below /api/v1, e.g. "/agent/rpc"
    std::string body;    ///< JSON, empty for DELETE
    std::string action;  ///< the RPC action, or "meeting_delete"
    std::string event;   ///< BBB's event name, for logs
    std::string internal_meeting_id;
};

/// The request for `event`. Pure.
RelayCall relayCallFor(const BbbEvent& event);

/// Standard base64 with padding and without line breaks. Pure.
std::string base64(std::string_view bytes);

}  // namespace b3s::agent
