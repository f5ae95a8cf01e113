#include "gateway/bbb_calls.hpp"

#include "gateway/create_call.hpp"
#include "gateway/get_meetings_call.hpp"
#include "gateway/join_call.hpp"
#include "gateway/meeting_calls.hpp"
#include "gateway/recording_calls.hpp"

namespace b3s::core::gateway {

void registerBbbCalls(BbbIngress& ingress, const GatewayContext& context) {
    const std::vector<std::string> get_post = {"GET", "POST"};
    const std::vector<std::string> get = {"GET"};
    const std::vector<std::string> post = {"POST"};

    ingress.on("create", get_post, CreateCall(context));
    ingress.on("join", get, JoinCall(context));
    ingress.on("end", get_post, EndCall(context));
    ingress.on("isMeetingRunning", get_post, ForwardedMeetingCall(context, "isMeetingRunning"));
    ingress.on("getMeetingInfo", get_post, ForwardedMeetingCall(context, "getMeetingInfo"));
    ingress.on("insertDocument", post, ForwardedMeetingCall(context, "insertDocument"));
    ingress.on("sendChatMessage", get, ForwardedMeetingCall(context, "sendChatMessage"));
    ingress.on("getMeetings", get_post, GetMeetingsCall(context));

    ingress.on("getRecordings", get_post, getRecordingsAnswer);
    ingress.on("publishRecordings", get, publishRecordingsAnswer);
    ingress.on("updateRecordings", get_post, updateOrDeleteRecordingsAnswer);
    ingress.on("deleteRecordings", get, updateOrDeleteRecordingsAnswer);
    ingress.on("getRecordingTextTracks", get_post, getRecordingTextTracksAnswer);
    ingress.on("putRecordingTextTrack", post, putRecordingTextTrackAnswer);
}

}  // namespace b3s::core::gateway
